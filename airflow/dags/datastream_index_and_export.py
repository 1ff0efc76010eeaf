"""DAG#2 of the original design, scheduled by Airflow: ConsumeKafka -> TransformJSON -> PutElasticSearch + PutGCP.

Each run is one `datastream pipeline index-and-export --until-idle`: it consumes rides_result from the
index-and-export consumer group's committed offsets until nothing is left, indexes every ride (upsert by ride_id) and
writes the Parquet lake, committing offsets only after both sinks hold the batch, then exits 0. Retries are safe: the
sinks are idempotent.

Airflow 2.x (2.4 or later for `schedule`). The worker needs the `datastream` CLI on its PATH, or DATASTREAM_CLI set to
the command that runs it, and the settings of .env.example in its environment (DATASTREAM_LOG=kafka,
DATASTREAM_INDEX=elasticsearch, ELASTICSEARCH_URL, DATASTREAM_LAKE=gcs, GCS_BUCKET, ...).
"""

from datetime import datetime, timedelta
import os

from airflow import DAG
from airflow.operators.bash import BashOperator

DATASTREAM_CLI = os.environ.get("DATASTREAM_CLI", "datastream")

with DAG(
    dag_id="datastream_index_and_export",
    description="index-and-export: rides_result -> Elasticsearch + Parquet lake, until the input is drained",
    start_date=datetime(2025, 1, 1),
    schedule=timedelta(minutes=5),
    # Each run drains everything pending, so missed intervals need no runs of their own.
    catchup=False,
    max_active_runs=1,
    default_args={
        "retries": 2,
        "retry_delay": timedelta(minutes=1),
        "execution_timeout": timedelta(minutes=30),
    },
    tags=["datastream"],
) as dag:
    BashOperator(
        task_id="index_and_export",
        bash_command=f"{DATASTREAM_CLI} pipeline index-and-export --until-idle",
    )

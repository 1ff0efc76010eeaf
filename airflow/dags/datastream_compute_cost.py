"""DAG#1 of the original design, scheduled by Airflow: ConsumeKafka -> ComputeCostTravel -> PublishKafka.

Each run is one `datastream pipeline compute-cost --until-idle`: it consumes rides_raw from the compute-cost consumer
group's committed offsets until nothing is left, publishing results and dead letters exactly once (Kafka
transactions), then exits 0. A failed run is simply retried: the next run resumes from the committed offsets.

Airflow 2.x (2.4 or later for `schedule`). The worker needs the `datastream` CLI on its PATH, or DATASTREAM_CLI set to
the command that runs it (e.g. "dotnet /opt/datastream/datastream.dll"), and the Kafka settings of .env.example in
its environment (DATASTREAM_LOG=kafka, KAFKA_BOOTSTRAP_SERVERS, ...).
"""

from datetime import datetime, timedelta
import os

from airflow import DAG
from airflow.operators.bash import BashOperator

DATASTREAM_CLI = os.environ.get("DATASTREAM_CLI", "datastream")

with DAG(
    dag_id="datastream_compute_cost",
    description="compute-cost: rides_raw -> rides_result / rides_dlq, until the input is drained",
    start_date=datetime(2025, 1, 1),
    schedule=timedelta(minutes=5),
    # Each run drains everything pending, so missed intervals need no runs of their own.
    catchup=False,
    # Two runs at once would only share the partitions; one at a time keeps the runs' logs readable.
    max_active_runs=1,
    default_args={
        "retries": 2,
        "retry_delay": timedelta(minutes=1),
        # A run that has not drained its input in this time is stuck (a full backlog drains in minutes).
        "execution_timeout": timedelta(minutes=30),
    },
    tags=["datastream"],
) as dag:
    BashOperator(
        task_id="compute_cost",
        bash_command=f"{DATASTREAM_CLI} pipeline compute-cost --until-idle",
    )

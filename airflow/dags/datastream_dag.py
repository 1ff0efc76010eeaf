"""What both Datastream DAGs share: one BashOperator running `datastream pipeline <name> --until-idle` on a schedule.

Airflow puts the dags folder on sys.path, so the two DAG files import this module. Airflow 2.x (2.4 or later for
`schedule`). The worker needs the `datastream` CLI on its PATH, or DATASTREAM_CLI set to the command that runs it
(e.g. "dotnet /opt/datastream/datastream.dll"), and the settings of .env.example in its environment
(DATASTREAM_LOG=kafka, KAFKA_BOOTSTRAP_SERVERS, DATASTREAM_INDEX=elasticsearch, ...).
"""

from datetime import datetime, timedelta
import os

from airflow import DAG
from airflow.operators.bash import BashOperator

DATASTREAM_CLI = os.environ.get("DATASTREAM_CLI", "datastream")


def pipeline_dag(pipeline, description, doc):
    """The DAG of one pipeline: each run drains the pipeline's input from its consumer group's offsets, then exits."""
    with DAG(
        dag_id="datastream_" + pipeline.replace("-", "_"),
        description=description,
        doc_md=doc,
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
            task_id=pipeline.replace("-", "_"),
            bash_command=f"{DATASTREAM_CLI} pipeline {pipeline} --until-idle",
        )
    return dag

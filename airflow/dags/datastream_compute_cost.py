"""DAG#1 of the original design, scheduled by Airflow: ConsumeKafka -> ComputeCostTravel -> PublishKafka.

Each run is one `datastream pipeline compute-cost --until-idle`: it consumes rides_raw from the compute-cost consumer
group's committed offsets until nothing is left, publishing results and dead letters exactly once (Kafka
transactions), then exits 0. A failed run is simply retried: the next run resumes from the committed offsets.
"""

from datastream_dag import pipeline_dag

dag = pipeline_dag(
    "compute-cost",
    "compute-cost: rides_raw -> rides_result / rides_dlq, until the input is drained",
    __doc__,
)

"""DAG#2 of the original design, scheduled by Airflow: ConsumeKafka -> TransformJSON -> PutElasticSearch + PutGCP.

Each run is one `datastream pipeline index-and-export --until-idle`: it consumes rides_result from the
index-and-export consumer group's committed offsets until nothing is left, indexes every ride (upsert by ride_id) and
writes the Parquet lake, committing offsets only after both sinks hold the batch, then exits 0. Retries are safe: the
sinks are idempotent.
"""

from datastream_dag import pipeline_dag

dag = pipeline_dag(
    "index-and-export",
    "index-and-export: rides_result -> Elasticsearch + Parquet lake, until the input is drained",
    __doc__,
)

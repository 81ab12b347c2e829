"""QualityLake daily batch as an Airflow DAG (Airflow 2.x): one spark-submit per job, in SPEC §7 order.

Every job takes --as-of {{ ds }} and recomputes only what changed since its last successful run (gold
tables are current tables), so retries and reruns are safe; run backfills in date order
(airflow dags backfill -s 2026-01-01 -e 2026-01-31 qualitylake_daily, with max_active_runs=1): an
--as-of older than the tables' current one restates whole tables at that date.
The cluster jar is built by `mvn -B -DskipTests package`
(batch-jobs/target/qlake-batch-jobs-<version>-cluster.jar) and contains Delta; Spark provides the rest.
Adapt CLUSTER_JAR, LAKE, the connection and the Kafka properties file to your deployment.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

CLUSTER_JAR = "/opt/qualitylake/qlake-batch-jobs-0.1.0-SNAPSHOT-cluster.jar"
LAKE = "s3a://quality-lake/lake"
JOBS = ["silver", "reliability", "quality", "capability", "grading", "benchmarks", "suppliers", "export"]
SPARK_CONF = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
    "spark.sql.session.timeZone": "UTC",
}

with DAG(
    dag_id="qualitylake_daily",
    start_date=datetime(2026, 1, 1),
    schedule="15 2 * * *",
    catchup=False,
    max_active_runs=1,  # one batch per lake at a time (the jobs take a lake lock), dates in order
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["qualitylake"],
) as dag:
    previous = None
    for job in JOBS:
        args = ["batch", job, "--lake", LAKE, "--as-of", "{{ ds }}"]
        if job == "export":
            args += ["--kafka-properties", "/etc/qualitylake/feed.properties"]
        task = SparkSubmitOperator(
            task_id=f"batch_{job}",
            application=CLUSTER_JAR,
            java_class="io.qualitylake.batch.BatchCli",
            application_args=args,
            conf=SPARK_CONF,
            conn_id="spark_default",
        )
        if previous is not None:
            previous >> task
        previous = task

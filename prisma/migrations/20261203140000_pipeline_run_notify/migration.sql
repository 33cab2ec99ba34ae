-- Every insert and update of a pipeline run is announced on the pipeline_run_changed channel as
-- "<schema>:<run id>", whichever process wrote it (a worker's stage runner, the gateway's cancel,
-- the stuck-run sweep), so each gateway can push live progress to subscribed dashboards
-- (src/pipeline/run-changes.ts). The schema is in the payload because channels are per database.
CREATE FUNCTION notify_pipeline_run_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pipeline_run_changed', TG_TABLE_SCHEMA || ':' || NEW.id);
  RETURN NULL;
END
$$;

CREATE TRIGGER pipeline_run_changed
  AFTER INSERT OR UPDATE ON pipeline_runs
  FOR EACH ROW EXECUTE FUNCTION notify_pipeline_run_changed();

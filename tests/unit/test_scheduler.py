from chalice.app import Cron, Rate

from devstack.scheduler import interval_of, jobs_of, scheduled_event


def test_rates_become_intervals_and_crons_are_skipped() -> None:
    assert interval_of(Rate(1, unit=Rate.HOURS)) == 3600
    assert interval_of("rate(5 minutes)") == 300
    assert interval_of(Cron(0, 17, "*", "*", "?", "*")) is None


def test_the_apps_schedules_are_found_with_their_handlers() -> None:
    import app

    jobs = {job.name: job for job in jobs_of(app.app, app)}
    assert jobs["clean_up"].interval_seconds == 3600
    assert jobs["clean_up"].handler is app.clean_up
    event = scheduled_event("ap-southeast-7", "clean_up")
    assert event["detail-type"] == "Scheduled Event" and event["source"] == "aws.events"

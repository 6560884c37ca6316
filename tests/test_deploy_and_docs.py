"""docker-compose.yml agrees with `fazhi up`; every setting and task name is documented."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from fazhi_cli.supervisor import worker_commands
from fazhi_shared.settings import Settings
from fazhi_shared.tasks import Queue, TaskName
from tests.conftest import ROOT

COMPOSE = ROOT / "docker-compose.yml"


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(COMPOSE.read_text("utf-8"))


def _shape(argv: list[str]) -> dict[str, object]:
    """What must agree: the program, the app module, the subcommand, the queues, the pool."""
    args = argv[argv.index("-m") + 1:] if "-m" in argv else argv
    shape: dict[str, object] = {"program": args[0]}
    for flag in ("-A", "-Q", "--pool", "--factory"):
        if flag in args:
            shape[flag] = args[args.index(flag) + 1]
    if args[0] == "celery":
        shape["subcommand"] = args[3]
    return shape


def test_compose_file_is_valid() -> None:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed (Debian package docker-compose)")
    result = subprocess.run([binary, "-f", str(COMPOSE), "config", "-q"], capture_output=True,
                            text=True, env={"FAZHI_API_KEYS": "check", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr


def test_every_compose_service_runs_what_fazhi_up_runs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    services = _compose()["services"]
    local = worker_commands(Settings(data_dir=tmp_path))
    for name, argv in local.items():
        assert name in services, f"docker-compose.yml lacks the {name} service"
        assert _shape(services[name]["command"]) == _shape(argv), name
    consumed = set()
    for argv in local.values():
        if "-Q" in argv:
            consumed.update(argv[argv.index("-Q") + 1].split(","))
    assert consumed == {q.value for q in Queue}, "every queue has a consumer"


def test_every_compose_variable_is_a_known_setting() -> None:
    text = COMPOSE.read_text("utf-8")
    names = set(re.findall(r"\b(FAZHI_[A-Z_]+)", text))
    known = {f"FAZHI_{name.upper()}" for name in Settings.model_fields}
    assert names and names <= known, names - known


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    missing = [f"FAZHI_{n.upper()}" for n in Settings.model_fields if f"`FAZHI_{n.upper()}`" not in readme]
    assert not missing, f"README.md's configuration table lacks {missing}"
    for name, info in Settings.model_fields.items():
        assert info.description, f"setting {name} has no description"


def test_every_task_name_is_documented() -> None:
    docs = "\n".join(p.read_text("utf-8") for p in [ROOT / "README.md", *ROOT.glob("services/*/README.md")])
    missing = [t.value for t in TaskName if f"`{t.value}`" not in docs]
    assert not missing, f"task names not documented in a README: {missing}"


def test_every_webhook_event_is_documented() -> None:
    from fazhi_alerts.events import EVENT_TYPES

    docs = (ROOT / "services" / "alerts" / "README.md").read_text("utf-8")
    missing = [event for event in EVENT_TYPES if f"`{event}`" not in docs]
    assert EVENT_TYPES and not missing, f"webhook events not documented: {missing}"


def test_kubernetes_deployments_run_what_fazhi_up_runs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    manifests = ROOT / "deploy" / "kubernetes"
    docs = [d for f in sorted(manifests.glob("*.yaml"))
            for d in yaml.safe_load_all(f.read_text("utf-8")) if d]
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    local = worker_commands(Settings(data_dir=tmp_path))
    for name, argv in local.items():
        assert name in deployments, f"deploy/kubernetes lacks the {name} Deployment"
        container = deployments[name]["spec"]["template"]["spec"]["containers"][0]
        assert _shape(container["command"]) == _shape(argv), name
    assert deployments["beat"]["spec"]["replicas"] == 1, "exactly one beat"
    known = {f"FAZHI_{name.upper()}" for name in Settings.model_fields}
    config = next(d for d in docs if d["kind"] == "ConfigMap")
    secret = next(d for d in docs if d["kind"] == "Secret")
    assert set(config["data"]) | set(secret["stringData"]) <= known


def test_every_task_name_has_a_consumer_on_its_queue(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Each named task is registered by the service whose worker `fazhi up` starts on the
    task's queue: a name with no consumer would pile up, unseen, in Redis."""
    import json
    import sys

    apps = {"crawl": "fazhi_crawler", "process": "fazhi_worker", "index": "fazhi_indexer",
            "alerts": "fazhi_alerts", "deliver": "fazhi_alerts"}
    script = (
        "import importlib, json\n"
        f"apps = {apps!r}\n"
        "out = {}\n"
        "for queue, package in apps.items():\n"
        "    app = importlib.import_module(package + '.celery_app').app\n"
        "    app.loader.import_default_modules()\n"
        "    out[queue] = sorted(n for n in app.tasks if not n.startswith('celery.'))\n"
        "print(json.dumps(out))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "FAZHI_DATA_DIR": str(tmp_path),
           "FAZHI_REDIS_URL": "redis://127.0.0.1:1/0"}  # imported only, never connected
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    registered = json.loads(result.stdout)
    for name in TaskName:
        queue = name.value.split(".", 1)[0]
        assert name.value in registered[queue], f"{name.value}: no consumer on queue {queue}"

"""The Kubernetes manifests (use_kubernetes), proven on every variant that has them.

No cluster can be reached here, so each manifest is validated offline and strictly
against the official schemas of Kubernetes 1.37 (kubernetes-validate), and what a
schema cannot see is checked against the project itself: the probes are answered
by the real ASGI application, every process starts (and passes ``check --deploy``)
with exactly the environment and secret files the manifests give it, the ports
agree from the image to the Ingress, and the pods run the image as its user on a
read-only root.
"""

import base64
import hashlib
import json
import re
import secrets
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from filelock import FileLock

from tests.conftest import (
    BIN,
    clean_environment,
    run,
    runtime_fingerprint,
    succeed,
    uv_environment,
)
from tests.variants import QUESTIONS, TEMPLATE, VARIANTS

KUBERNETES_VERSION = "1.37.0"
MANIFESTS = Path("deploy/kubernetes")
# What the tests write into the secret files, as a person would with echo.
SECRET_VALUES = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_EMAIL_URL": "smtp+tls://mailer:password@127.0.0.1:1",
    # Nothing listens on port 1: the services are refused at once, never reached.
    "DATABASE_URL": "postgres://app:password@127.0.0.1:1/app",
    "REDIS_URL": "redis://127.0.0.1:1/0",
    "SENTRY_DSN": "",
}
# daphne's --application-close-timeout when the command does not set it.
DAPHNE_CLOSE_TIMEOUT = 10
POD_ADDRESS = "10.1.0.5:8000"
KUSTOMIZATION_LISTS = {"resources", "images", "secretGenerator"}


def answer(variant, question):
    """A variant's answer to a question, or the question's default."""
    default = QUESTIONS[question]
    return VARIANTS[variant].get(question, default[0] if isinstance(default, list) else default)


WITH_KUBERNETES = [variant for variant in VARIANTS if answer(variant, "use_kubernetes")]


def kustomization(project):
    return yaml.safe_load((project / MANIFESTS / "kustomization.yaml").read_text())


def resources(project):
    """Every resource the kustomization lists, by (kind, name)."""
    found = {}
    for name in kustomization(project)["resources"]:
        for document in yaml.safe_load_all((project / MANIFESTS / name).read_text()):
            found[document["kind"], document["metadata"]["name"]] = document
    return found


def pod_specs(project):
    """The pod template of every Deployment and Job, by workload name."""
    return {
        name: document["spec"]["template"]["spec"]
        for (kind, name), document in resources(project).items()
        if kind in {"Deployment", "Job"}
    }


def containers(pod):
    return [*pod.get("initContainers", []), *pod["containers"]]


def final_stage(project):
    """The Dockerfile's last stage: the image the pods run."""
    return (project / "Dockerfile").read_text().rsplit("\nFROM ", 1)[1]


def image_environment(project):
    """The ENV of the image, as the Dockerfile sets it."""
    stage = final_stage(project).replace("\\\n", " ")
    block = re.search(r"^ENV (.*)$", stage, re.MULTILINE).group(1)
    return dict(re.findall(r"(\w+)=(\S+)", block))


def image_user(project):
    stage = final_stage(project)
    created = re.search(r"useradd .*--uid (\d+)", stage).group(1)
    assert re.search(rf"^USER {created}$", stage, re.MULTILINE)
    return int(created)


def secret_files(project):
    """The secret files the kustomization's Secret is generated from, by Secret name."""
    return {
        generator["name"]: [Path(path) for path in generator["files"]]
        for generator in kustomization(project)["secretGenerator"]
    }


def configured_environment(project, container):
    """What a container's environment holds: the image's, the ConfigMaps', then its own."""
    config_maps = {
        name: document["data"]
        for (kind, name), document in resources(project).items()
        if kind == "ConfigMap"
    }
    environment = image_environment(project)
    for source in container.get("envFrom", []):
        environment.update(config_maps[source["configMapRef"]["name"]])
    environment.update({item["name"]: item["value"] for item in container.get("env", [])})
    return environment


def documented_variables(project):
    """The variables that .env.example documents, set or commented out."""
    text = (project / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))


def test_manifests_exist_only_when_chosen(baked, variant):
    chosen = answer(variant, "use_kubernetes")

    assert (baked / MANIFESTS).is_dir() == chosen
    if chosen:
        listed = kustomization(baked)["resources"]
        present = sorted(
            path.name
            for path in (baked / MANIFESTS).glob("*.yaml")
            if path.name not in {"kustomization.yaml", ".checkov.yaml"}
        )
        assert sorted(listed) == present


def test_kubernetes_without_the_docker_image_is_refused_in_one_line(tmp_path):
    answers = ["use_kubernetes=yes", "use_docker=no"]
    command = [BIN / "cookiecutter", "--no-input", "--output-dir", tmp_path, TEMPLATE, *answers]
    finished = run(command, cwd=tmp_path)

    assert finished.returncode == 1
    assert finished.stderr.splitlines() == [
        "Invalid answer for use_kubernetes (True): it must go with use_docker: it runs its image."
    ]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("variant", WITH_KUBERNETES)
def test_every_manifest_validates_strictly_against_kubernetes_1_37(baked, variant):
    files = [MANIFESTS / name for name in kustomization(baked)["resources"]]
    command = [BIN / "kubernetes-validate", "--strict", "-k", KUBERNETES_VERSION, *files]
    finished = succeed(command, cwd=baked)

    # Each resource passed: a kind without a schema is only a warning to the tool.
    passed = re.findall(r"passed for resource (\S+) against version 1\.37", finished.stdout)
    expected = [f"{kind.lower()}/{name}" for kind, name in resources(baked)]
    assert sorted(passed) == sorted(expected), finished.stdout
    # The kustomization has no schema to validate against: its fields and names, here.
    kustomize = kustomization(baked)
    assert kustomize["kind"] == "Kustomization"
    assert set(kustomize) == {"apiVersion", "kind", "namespace", *KUSTOMIZATION_LISTS}
    assert re.fullmatch(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", kustomize["namespace"])
    assert ("Namespace", kustomize["namespace"]) in resources(baked)


@pytest.mark.parametrize("variant", WITH_KUBERNETES)
def test_secrets_are_files_the_user_writes_and_git_ignores(baked, variant):
    generated = secret_files(baked)
    readme = baked.joinpath("README.md").read_text().split("### Kubernetes", 1)[1]

    for paths in generated.values():
        for path in paths:
            assert path.parent == Path("secrets")
            assert not (baked / MANIFESTS / path).exists()
            assert f"secrets/{path.name}" in readme
    ignored = (baked / MANIFESTS / "secrets/.gitignore").read_text().splitlines()
    assert ignored[-2:] == ["*", "!.gitignore"]
    # No Secret with literal values among the resources.
    assert "Secret" not in {kind for kind, _ in resources(baked)}


@pytest.mark.parametrize("variant", WITH_KUBERNETES)
def test_the_secret_files_are_mounted_where_the_file_variables_point(baked, variant):
    generated = {
        name: {path.name for path in paths} for name, paths in secret_files(baked).items()
    }
    documented = documented_variables(baked)

    for pod in pod_specs(baked).values():
        secret_volumes = {
            volume["name"]: generated[volume["secret"]["secretName"]]
            for volume in pod["volumes"]
            if "secret" in volume
        }
        for container in containers(pod):
            mounted = {
                f"{mount['mountPath']}/{name}"
                for mount in container["volumeMounts"]
                for name in secret_volumes.get(mount["name"], [])
            }
            pointed = {
                name.removesuffix("_FILE"): value
                for name, value in configured_environment(baked, container).items()
                if name.endswith("_FILE") and name != "DJANGO_DRAIN_FILE"
            }
            # Each file is named after its variable, one the project reads, and is mounted.
            assert {name: Path(path).name for name, path in pointed.items()} == {
                name: name for name in pointed
            }
            assert set(pointed) <= documented
            assert set(pointed.values()) == mounted, container["name"]


@pytest.mark.parametrize("variant", WITH_KUBERNETES)
def test_every_variable_the_manifests_set_is_one_the_project_reads(baked, variant):
    documented = documented_variables(baked)
    image = image_environment(baked)

    for pod in pod_specs(baked).values():
        for container in containers(pod):
            environment = configured_environment(baked, container)
            # NAME_FILE stands for NAME; the drain file is a path of its own, no secret.
            names = {
                name if name == "DJANGO_DRAIN_FILE" else name.removesuffix("_FILE")
                for name in environment
                if name not in image
            }
            assert names - documented <= {"DJANGO_DRAIN_FILE"}, container["name"]


@pytest.mark.parametrize("variant", WITH_KUBERNETES)
def test_pods_run_the_image_as_its_own_user_on_a_read_only_root(baked, variant):
    uid = image_user(baked)
    image = image_environment(baked)
    image_name = kustomization(baked)["images"][0]["name"]

    # Nothing the image runs writes under /app: no bytecode, static files collected at build.
    assert image["PYTHONDONTWRITEBYTECODE"] == "1"
    assert image["DJANGO_STATIC_ROOT"].startswith("/app/")
    assert "collectstatic --noinput" in (baked / "Dockerfile").read_text()
    for pod in pod_specs(baked).values():
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == uid
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert pod["automountServiceAccountToken"] is False
        volumes = {volume["name"]: volume for volume in pod["volumes"]}
        for container in containers(pod):
            assert container["image"] == image_name
            assert container["securityContext"] == {
                "readOnlyRootFilesystem": True,
                "allowPrivilegeEscalation": False,
                "capabilities": {"drop": ["ALL"]},
            }
            for bound in ("requests", "limits"):
                assert set(container["resources"][bound]) == {"cpu", "memory"}
            mounts = {
                mount["mountPath"]: volumes[mount["name"]] for mount in container["volumeMounts"]
            }
            assert "emptyDir" in mounts["/tmp"]
            database = configured_environment(baked, container).get("DATABASE_URL", "")
            if database.startswith("sqlite:"):
                # The database and its WAL files live on the volume, beside each other.
                directory = str(Path(database.removeprefix("sqlite:///")).parent)
                assert "persistentVolumeClaim" in mounts[directory]


@pytest.mark.parametrize("variant", WITH_KUBERNETES)
def test_ports_agree_from_the_image_to_the_ingress(baked, variant):
    found = resources(baked)
    web = found["Deployment", "web"]
    service = found["Service", "web"]
    ingresses = [document for (kind, _), document in found.items() if kind == "Ingress"]
    port = int(image_environment(baked)["PORT"])
    assert re.search(rf"^EXPOSE {port}$", final_stage(baked), re.MULTILINE)

    (daphne,) = [c for c in web["spec"]["template"]["spec"]["containers"] if c["name"] == "web"]
    container_ports = {item["name"]: item["containerPort"] for item in daphne["ports"]}
    assert container_ports == {"http": port}
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert container_ports[daphne[probe]["httpGet"]["port"]] == port
    labels = web["spec"]["template"]["metadata"]["labels"]
    assert web["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    service_ports = {item["name"]: item for item in service["spec"]["ports"]}
    assert {container_ports[item["targetPort"]] for item in service_ports.values()} == {port}
    backends = [
        path["backend"]["service"]
        for ingress in ingresses
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    ]
    assert backends
    assert all(backend == {"name": "web", "port": {"name": "http"}} for backend in backends)
    assert set(service_ports) == {"http"}
    scales = ("HorizontalPodAutoscaler", "web") in found
    assert scales == (("PodDisruptionBudget", "web") in found)
    if scales:
        assert found["HorizontalPodAutoscaler", "web"]["spec"]["scaleTargetRef"]["name"] == "web"
        budget = found["PodDisruptionBudget", "web"]["spec"]["selector"]["matchLabels"]
        assert budget.items() <= labels.items()
        assert "replicas" not in web["spec"]  # the autoscaler's to set
    else:
        assert web["spec"]["replicas"] == 1


@pytest.mark.parametrize("variant", WITH_KUBERNETES)
def test_a_stopping_web_pod_leaves_the_service_before_daphne_stops(baked, variant):
    pod = resources(baked)["Deployment", "web"]["spec"]["template"]["spec"]
    (daphne,) = [c for c in pod["containers"] if c["name"] == "web"]
    environment = configured_environment(baked, daphne)
    readiness = daphne["readinessProbe"]
    pre_stop = daphne["lifecycle"]["preStop"]["exec"]["command"]

    assert pre_stop[:2] == ["sh", "-c"]
    touch, sleep = pre_stop[2].split(" && ")
    assert touch == 'touch "$DJANGO_DRAIN_FILE"'
    drain = Path(environment["DJANGO_DRAIN_FILE"])
    assert any(mount["mountPath"] == str(drain.parent) for mount in daphne["volumeMounts"]), (
        "the drain file must be on the writable /tmp"
    )
    seconds = int(sleep.removeprefix("sleep "))
    # Readiness has failed (so the pod has left the Service) before SIGTERM reaches daphne,
    assert seconds > readiness["periodSeconds"] * readiness["failureThreshold"]
    # and daphne has its whole close timeout after the sleep.
    assert pod["terminationGracePeriodSeconds"] >= seconds + DAPHNE_CLOSE_TIMEOUT


@pytest.mark.parametrize("variant", [v for v in WITH_KUBERNETES if answer(v, "use_tasks")])
def test_the_worker_grace_period_is_the_one_the_readme_promises(baked, variant):
    promised = re.search(r"(\d+) s in\s+Kubernetes", (baked / "README.md").read_text())
    for name, pod in pod_specs(baked).items():
        if any(container["name"] == "worker" for container in pod["containers"]):
            assert pod["terminationGracePeriodSeconds"] == int(promised.group(1)), name
            break
    else:
        pytest.fail("no pod runs the worker")


# Run in each container's environment, as its pod would: Django starts with those
# settings and passes the deploy check; the web container's probes are asked of
# the real ASGI application with the headers the kubelet sends.
PROCESS = """
import asyncio, importlib, json, os, sys
import django
from asgiref.testing import ApplicationCommunicator
from django.core.management import call_command

django.setup()
call_command("check", deploy=True, fail_level="WARNING")
probes = json.loads(sys.argv[2])
answers = {}

async def ask(path, host, https=False):
    package = os.environ["DJANGO_SETTINGS_MODULE"].split(".")[0]
    application = importlib.import_module(f"{package}.asgi").application

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
        "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
        "query_string": b"", "headers": [(b"host", host.encode())]
        + ([(b"x-forwarded-proto", b"https")] if https else []),
        "client": ("10.0.0.1", 40000), "server": ("10.1.0.5", 8000),
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(10)
    body = await communicator.receive_output(10)
    return [start["status"], body.get("body", b"").decode()]

for name, request in probes.items():
    answers[name] = asyncio.run(ask(*request))
if probes and "DJANGO_DRAIN_FILE" in os.environ:
    open(os.environ["DJANGO_DRAIN_FILE"], "w").close()
    answers["draining"] = asyncio.run(ask(*probes["readinessProbe"]))
with open(sys.argv[1], "w") as results:
    json.dump(answers, results)
"""


def probe_host(probe):
    """The Host header the kubelet sends: the probe's own, or else the pod's address."""
    headers = {item["name"]: item["value"] for item in probe["httpGet"].get("httpHeaders", [])}
    return headers.get("Host", POD_ADDRESS)


IMAGES = {}


def image(project, tmp_path_factory):
    """The image's /app, built once per project as the Dockerfile builds it.

    Only what .dockerignore lets in (no .env), and the static files collected with
    throwaway settings.
    """
    if project not in IMAGES:
        app = tmp_path_factory.mktemp("image") / "app"
        app.mkdir()
        for name in ("pyproject.toml", "manage.py"):
            shutil.copy(project / name, app)
        shutil.copytree(
            project / project.name,
            app / project.name,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        environment = {
            **clean_environment(),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "localhost",
            "DJANGO_STATIC_ROOT": str(app / "staticfiles"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        command = [sys.executable, "manage.py", "collectstatic", "--noinput"]
        succeed([*command, "--settings", f"{project.name}.settings.prod"], app, environment)
        IMAGES[project] = app
    return IMAGES[project]


def run_in_pod(project, pod, container, tmp_path_factory):
    """Run PROCESS as a container would run: its environment, mounts and the image's paths.

    Each mount is a directory of its own, and the secret files hold SECRET_VALUES.
    Returns the answers and the files written inside the image (/app). It runs once
    per project and container; tests on another xdist worker read the recorded run.
    """
    # By content, as the suite runs of tests/test_variants.py: a stale record never matches.
    digest = hashlib.sha256(runtime_fingerprint(project).encode() + container["name"].encode())
    for path in sorted([project / "Dockerfile", *(project / MANIFESTS).glob("*.yaml")]):
        digest.update(path.read_bytes())
    key = digest.hexdigest()[:16]
    shared = tmp_path_factory.getbasetemp().parent
    with FileLock(shared / f"pod-{key}.lock"):
        recorded = shared / f"pod-{key}.json"
        if not recorded.exists():
            ran = run_once_in_pod(project, pod, container, tmp_path_factory)
            recorded.write_text(json.dumps(ran))
        return json.loads(recorded.read_text())


def run_once_in_pod(project, pod, container, tmp_path_factory):
    directory = tmp_path_factory.mktemp(container["name"])
    app = image(project, tmp_path_factory)
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    secret_names = secret_files(project)
    places = {"/app": app}
    for mount in container["volumeMounts"]:
        place = directory / "mounts" / mount["name"]
        place.mkdir(parents=True, exist_ok=True)
        secret = volumes[mount["name"]].get("secret")
        for path in secret_names[secret["secretName"]] if secret else []:
            (place / path.name).write_text(SECRET_VALUES[path.name] + "\n")
        places[mount["mountPath"]] = place

    # One pass, longest first, whole path components only: /app is not the end of /run/secrets/app.
    in_image = re.compile(
        "(?<![\\w.])("
        + "|".join(map(re.escape, sorted(places, key=len, reverse=True)))
        + ")(?=/|$)"
    )

    def local(value):
        return in_image.sub(lambda match: str(places[match.group(1)]), value)

    environment = {
        name: local(value)
        for name, value in configured_environment(project, container).items()
        if name != "PATH"
    }
    environment.update(
        PATH=clean_environment()["PATH"], HOME=str(app), TMPDIR=local("/tmp"), PYTHONPATH=str(app)
    )
    probes = {
        probe: [container[probe]["httpGet"]["path"], probe_host(container[probe])]
        for probe in ("livenessProbe", "readinessProbe")
        if "httpGet" in container.get(probe, {})
    }
    if probes:
        # What the checks must tell apart from the probes: a path the project lacks (asked
        # through the Ingress, as HTTPS, so that it is not redirected), and a wrong Host.
        probes["missing path"] = ["/no-such-probe", probes["readinessProbe"][1], True]
        probes["readiness from the pod's address"] = [probes["readinessProbe"][0], POD_ADDRESS]
    before = sorted(str(path) for path in app.rglob("*"))
    results = directory / "results.json"
    finished = run(
        [sys.executable, "-c", PROCESS, str(results), json.dumps(probes)],
        cwd=app,
        env=environment,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    after = sorted(str(path) for path in app.rglob("*"))
    return json.loads(results.read_text()), sorted(set(after) - set(before))


@pytest.mark.parametrize("variant", WITH_KUBERNETES)
def test_every_process_starts_with_the_manifests_environment_and_writes_only_its_mounts(
    baked, variant, tmp_path_factory
):
    for workload, pod in pod_specs(baked).items():
        for container in containers(pod):
            answers, written = run_in_pod(baked, pod, container, tmp_path_factory)

            assert written == [], (workload, container["name"])
            if "readinessProbe" not in container:
                continue
            assert answers["livenessProbe"] == [200, "ok"]
            status, body = answers["readinessProbe"]
            # Asked of Django and answered: ready, or naming what is not (no service runs here).
            assert (status, body) == (200, "ok") or (status, body[:12]) == (503, "unavailable:")
            assert answers["missing path"][0] == 404
            assert answers["readiness from the pod's address"][0] == 400


@pytest.mark.parametrize("variant", WITH_KUBERNETES)
def test_every_management_command_the_manifests_run_is_one_the_project_has(
    baked, variant, tmp_path
):
    # The worker's start, its exec liveness probe and the CronJob call manage.py.
    text = "\n".join(path.read_text() for path in sorted((baked / MANIFESTS).glob("*.yaml")))
    called = set(re.findall(r"manage\.py,? (\w+)", text))
    environment = {**clean_environment(), "DJANGO_SETTINGS_MODULE": f"{baked.name}.settings.test"}
    # The bake is shared with other tests: a SQLite file, if any, goes elsewhere.
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    if answer(variant, "database") == "postgresql":
        environment["DATABASE_URL"] = SECRET_VALUES["DATABASE_URL"]
    # Django lists only its own commands when the settings fail: check them first.
    succeed([sys.executable, "manage.py", "check"], baked, environment)
    listed = succeed([sys.executable, "manage.py", "help", "--commands"], baked, environment)

    assert called <= set(listed.stdout.split())
    if answer(variant, "use_tasks"):
        assert {"db_worker", "requeue_stale_tasks", "check_worker"} <= called


@pytest.mark.parametrize("variant", WITH_KUBERNETES)
def test_readiness_fails_while_the_drain_file_exists(baked, variant, tmp_path_factory):
    pod = resources(baked)["Deployment", "web"]["spec"]["template"]["spec"]
    (daphne,) = [c for c in pod["containers"] if c["name"] == "web"]
    answers, _ = run_in_pod(baked, pod, daphne, tmp_path_factory)

    status, body = answers["draining"]
    assert status == 503
    assert "draining" in body


@pytest.mark.parametrize("variant", WITH_KUBERNETES)
def test_only_the_ingress_controller_may_connect_to_web_and_nothing_to_the_rest(baked, variant):
    found = resources(baked)
    policies = [document for (kind, _), document in found.items() if kind == "NetworkPolicy"]
    web = found["Deployment", "web"]["spec"]["template"]
    classes = {
        document["spec"]["ingressClassName"]
        for (kind, _), document in found.items()
        if kind == "Ingress"
    }
    port = web["spec"]["containers"][0]["ports"][0]["containerPort"]

    # Every pod is closed to incoming connections unless a policy lets one in ...
    deny = [p["spec"] for p in policies if p["spec"]["podSelector"] == {}]
    assert deny == [{"podSelector": {}, "policyTypes": ["Ingress"]}]
    # ... and the one that does lets in the Ingress's controller, to web's port only.
    allowed = [p["spec"] for p in policies if p["spec"]["podSelector"] != {}]
    assert [rule["podSelector"]["matchLabels"] for rule in allowed] == [web["metadata"]["labels"]]
    (rule,) = allowed[0]["ingress"]
    assert classes == {"nginx"}
    assert rule["from"] == [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}},
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "ingress-nginx"}},
        }
    ]
    assert rule["ports"] == [{"port": port, "protocol": "TCP"}]


# checkov, pinned: a new release brings new checks, to be read before they gate.
CHECKOV = "checkov==3.3.30"


def rendered(project):
    """What ``kubectl kustomize`` would render, for the parts these manifests use.

    No kustomize binary comes from PyPI or npm, so the three transformers the
    kustomization declares are applied here: the namespace, the image's name and tag,
    and the Secret generated from the files in secrets/ (without its hash suffix,
    which no check reads).
    """
    plan = kustomization(project)
    images = {image["name"]: f"{image['newName']}:{image['newTag']}" for image in plan["images"]}
    documents = []
    for document in resources(project).values():
        if document["kind"] != "Namespace":
            document["metadata"]["namespace"] = plan["namespace"]
        for pod in _pod_templates(document):
            for container in containers(pod):
                container["image"] = images.get(container["image"], container["image"])
        documents.append(document)
    for generator in plan["secretGenerator"]:
        data = {
            Path(path).name: base64.b64encode(SECRET_VALUES[Path(path).name].encode()).decode()
            for path in generator["files"]
        }
        documents.append(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": generator["name"], "namespace": plan["namespace"]},
                "type": "Opaque",
                "data": data,
            }
        )
    return documents


def _pod_templates(document):
    spec = document.get("spec", {})
    if document["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    template = spec.get("template")
    return [template["spec"]] if template else []


@pytest.mark.parametrize("variant", WITH_KUBERNETES)
def test_checkov_passes_the_rendered_kustomization_but_for_the_skips_the_project_justifies(
    baked, variant, tmp_path
):
    manifest = tmp_path / "rendered.yaml"
    manifest.write_text(yaml.safe_dump_all(rendered(baked)))
    config = baked / MANIFESTS / ".checkov.yaml"
    command = [BIN / "uv", "tool", "run", "--python", sys.executable, "--from", CHECKOV]
    command += ["checkov", "--config-file", config, "-f", manifest, "--output", "json"]
    finished = run(command, cwd=tmp_path, env=uv_environment())

    assert finished.returncode == 0, finished.stdout[-4000:] + finished.stderr[-2000:]
    summary = json.loads(finished.stdout)["summary"]
    assert summary["failed"] == 0
    assert summary["passed"] > 50
    # Each skip in the config says why, in the comment above it.
    lines = config.read_text().splitlines()
    skips = [n for n, line in enumerate(lines) if line.strip().startswith("- CKV_")]
    assert skips
    assert all(lines[n - 1].strip().startswith("#") for n in skips)


@pytest.mark.parametrize("variant", WITH_KUBERNETES)
def test_pages_time_out_in_10_seconds_and_only_websockets_wait_an_hour(baked, variant):
    ingresses = {
        name: document for (kind, name), document in resources(baked).items() if kind == "Ingress"
    }
    timeouts = {
        path["path"]: document["metadata"]["annotations"][
            "nginx.ingress.kubernetes.io/proxy-read-timeout"
        ]
        for document in ingresses.values()
        for rule in document["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    nginx = (baked / "deploy/nginx.conf").read_text()
    assert re.search(r"^    proxy_read_timeout 10s;$", nginx, re.MULTILINE)
    if answer(variant, "use_channels"):
        assert timeouts == {"/": "10", "/ws/": "3600"}
        routes = (baked / baked.name / "rooms/routing.py").read_text()
        assert 'path("ws/' in routes
    else:
        assert timeouts == {"/": "10"}

"""Checks what a schema or a linter cannot: that the compose file and the Dockerfiles keep the promises the services
and docs/ops.md rely on.

  docker-compose config | python3 .ci/check_ops.py compose     (reads the resolved compose file on stdin)
  python3 .ci/check_ops.py dockerfile ingest-service/Dockerfile
  python3 .ci/check_ops.py monitoring                            (ops/monitoring: Prometheus jobs, Grafana files)

Prints one line per broken promise and exits 1 if there is any.
"""
import os
import re
import sys

SERVICES = ("ingest-service", "indicator-service", "delivery-service")
TOPICS = ("TICKS_TOPIC", "RESULTS_TOPIC", "TICKS_TOPIC.dlq", "STATE_TOPIC")


def check_compose(text):
    import yaml  # Debian's python3-yaml, a dependency of docker-compose

    services = yaml.safe_load(text)["services"]
    problems = []

    def expect(ok, message):
        if not ok:
            problems.append("docker-compose.yml: " + message)

    for name in ("kafka", "kafka-init", *SERVICES, "simulator"):
        expect(name in services, f"service {name} is missing")
    if problems:
        return problems

    kafka = services["kafka"]
    expect(re.fullmatch(r"apache/kafka:4\.\d+\.\d+", kafka["image"] or "") is not None,
           f"kafka image must be apache/kafka with a pinned 4.x.y tag, is {kafka['image']}")
    expect(kafka["environment"].get("KAFKA_PROCESS_ROLES") == "broker,controller",
           "kafka must run KRaft as broker,controller")
    expect(any(str(v).startswith("kafka-data:") or (isinstance(v, dict) and v.get("source") == "kafka-data")
               for v in kafka.get("volumes", [])), "kafka data must live on the kafka-data volume")
    expect("healthcheck" in kafka, "kafka needs a healthcheck (kafka-init waits for it)")

    init = services["kafka-init"]
    expect(condition(init, "kafka") == "service_healthy", "kafka-init must wait for kafka: service_healthy")
    script = " ".join(init.get("command") or [])
    for topic in TOPICS:
        expect(topic in script, f"kafka-init does not create {topic}")
    expect("--if-not-exists" in script, "kafka-init must be idempotent (--if-not-exists)")
    expect("cleanup.policy=compact" in script, "the state topic must be compacted")

    for name in (*SERVICES, "simulator"):
        service = services[name]
        env = service.get("environment", {})
        expect(env.get("KAFKA_BOOTSTRAP_SERVERS") == "kafka:9092", f"{name}: KAFKA_BOOTSTRAP_SERVERS must be kafka:9092")
        expect(condition(service, "kafka-init") == "service_completed_successfully",
               f"{name} must wait for kafka-init: service_completed_successfully")
        expect(seconds(service.get("stop_grace_period", "10s")) > 10,
               f"{name}: stop_grace_period must exceed the services' 10 s shutdown budget")
        dockerfile = (service.get("build") or {}).get("dockerfile", "")
        expect(os.path.isfile(dockerfile), f"{name}: build.dockerfile {dockerfile!r} does not exist")
    for name in SERVICES:
        health = services[name].get("healthcheck", {})
        expect("/ready" in " ".join(health.get("test", [])), f"{name}: the healthcheck must probe /ready")
    indicator_ports = services["indicator-service"].get("ports", [])
    expect(not any(published(p) for p in indicator_ports),
           "indicator-service must publish no fixed host port, or --scale indicator-service=N cannot start")
    expect("demo" in services["simulator"].get("profiles", []), "the simulator runs only with --profile demo")

    for name in ("prometheus", "grafana"):
        expect(name in services, f"service {name} is missing (docker compose --profile monitoring)")
        if name not in services:
            continue
        service = services[name]
        expect("monitoring" in service.get("profiles", []), f"{name} runs only with --profile monitoring")
        image = service.get("image") or ""
        expect(":" in image and not image.endswith(":latest"), f"{name} image {image} must have a pinned, non-latest tag")
        for volume in service.get("volumes", []):
            source = volume.get("source") if isinstance(volume, dict) else str(volume).split(":")[0]
            if source and source.startswith(("/", ".")):
                expect(os.path.exists(source), f"{name} mounts {source}, which does not exist")
    return problems


def check_monitoring(root="ops/monitoring"):
    """The Prometheus jobs scrape the three services on their ports; the dashboard is well formed and uses the
    provisioned data source. (Which metric names exist is checked against live /metrics by MonitoringDashboardIT.)"""
    import json
    import yaml

    problems = []

    def expect(ok, message):
        if not ok:
            problems.append(f"{root}: {message}")

    prometheus = yaml.safe_load(open(f"{root}/prometheus.yml", encoding="utf-8"))
    jobs = {c["job_name"]: c for c in prometheus.get("scrape_configs", [])}
    for job, (service, port) in {"ingest": ("ingest-service", 8081), "indicator": ("indicator-service", 8082),
                                 "delivery": ("delivery-service", 8080)}.items():
        expect(job in jobs, f"prometheus.yml has no job {job}")
        if job in jobs:
            sd = jobs[job].get("dns_sd_configs", [{}])[0]
            expect(service in sd.get("names", []) and sd.get("port") == port,
                   f"job {job} must discover {service}:{port} by DNS (every replica), has {sd}")
    datasources = yaml.safe_load(open(f"{root}/grafana/provisioning/datasources/prometheus.yml", encoding="utf-8"))
    uids = {d.get("uid") for d in datasources.get("datasources", [])}
    providers = yaml.safe_load(open(f"{root}/grafana/provisioning/dashboards/tickflow.yml", encoding="utf-8"))
    expect(any(p.get("options", {}).get("path") == "/var/lib/grafana/dashboards" for p in providers["providers"]),
           "the dashboard provider must read /var/lib/grafana/dashboards")
    dashboards = [f for f in os.listdir(f"{root}/grafana/dashboards") if f.endswith(".json")]
    expect(dashboards, "no dashboard JSON")
    for name in dashboards:
        dashboard = json.load(open(f"{root}/grafana/dashboards/{name}", encoding="utf-8"))
        expect(dashboard.get("uid") and dashboard.get("title"), f"{name}: a dashboard needs a uid and a title")
        panels = [p for p in dashboard.get("panels", []) if p.get("type") != "row"]
        expect(len(panels) >= 6, f"{name}: only {len(panels)} panels")
        ids = [p.get("id") for p in dashboard.get("panels", [])]
        expect(len(ids) == len(set(ids)), f"{name}: panel ids are not unique")
        for panel in panels:
            title = panel.get("title", "?")
            expect(panel.get("datasource", {}).get("uid") in uids, f"{name}: panel {title!r} uses an unprovisioned data source")
            targets = panel.get("targets", [])
            expect(targets and all(t.get("expr", "").strip() for t in targets), f"{name}: panel {title!r} has no query")
            for t in targets:
                expr = t.get("expr", "")
                expect(expr.count("(") == expr.count(")") and expr.count("{") == expr.count("}"),
                       f"{name}: panel {title!r}: unbalanced query {expr}")
    return problems


def condition(service, dependency):
    depends = service.get("depends_on") or {}
    return depends.get(dependency, {}).get("condition") if isinstance(depends, dict) else None


def published(port):
    if isinstance(port, dict):
        return bool(port.get("published"))
    return ":" in str(port)


def seconds(duration):
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", str(duration))
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0) if match else 0


def check_dockerfile(path):
    module = os.path.dirname(path)
    lines = logical_lines(open(path, encoding="utf-8").read())
    stages = []
    for line in lines:
        word = line.split(None, 1)[0].upper()
        if word == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((word, line))
    problems = []

    def expect(ok, message):
        if not ok:
            problems.append(f"{path}: {message}")

    expect(len(stages) >= 2, "must be multi-stage (build, then a JRE runtime)")
    for stage in stages:
        image = stage[0][1].split()[1]
        expect(":" in image and not image.endswith(":latest"), f"base image {image} must have a pinned, non-latest tag")
    if not stages:
        return problems
    build, runtime = "\n".join(l for _, l in stages[0]), stages[-1]
    expect(f"-pl {module} -am package" in build, f"the build stage must run `mvn -pl {module} -am package`")
    words = {w for w, _ in runtime}
    users = [l.split()[1] for w, l in runtime if w == "USER"]
    expect(users and users[-1].split(":")[0] not in ("root", "0"), "the runtime stage must end as a non-root USER")
    expect(any(f"{module}/target/{module}.jar" in l for w, l in runtime if w == "COPY"),
           f"the runtime stage must copy the shaded {module}/target/{module}.jar")
    expect("HEALTHCHECK" in words and any("/ready" in l for w, l in runtime if w == "HEALTHCHECK"),
           "the runtime stage needs a HEALTHCHECK probing /ready")
    expect("EXPOSE" in words, "the runtime stage must EXPOSE its ports")
    entry = [l for w, l in runtime if w == "ENTRYPOINT"]
    expect(entry and entry[-1].split(None, 1)[1].startswith("["),
           "ENTRYPOINT must be exec form so java is PID 1 and receives SIGTERM")
    expect(any("MaxRAMPercentage" in l and "ExitOnOutOfMemoryError" in l for w, l in runtime if w == "ENV"),
           "the runtime stage must size the JVM for containers (MaxRAMPercentage, ExitOnOutOfMemoryError)")
    return problems


def logical_lines(text):
    """Instructions with continuation lines joined and comments dropped."""
    lines, current = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        current += stripped[:-1] + " " if stripped.endswith("\\") else stripped
        if not stripped.endswith("\\"):
            lines.append(current)
            current = ""
    return lines


def main(argv):
    if argv[1:2] == ["compose"]:
        problems = check_compose(sys.stdin.read())
    elif argv[1:2] == ["monitoring"]:
        problems = check_monitoring()
    elif argv[1:2] == ["dockerfile"] and len(argv) == 3:
        problems = check_dockerfile(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

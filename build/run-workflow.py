#!/usr/bin/env python3
"""Runs a GitHub Actions workflow on this machine, every job and step in order, the way a runner would.

    build/run-workflow.py WORKFLOW.yml --checkout REPO_DIR --work DIR [options]

It exists to test the workflows in samples/ci as they are written: the `run:` scripts are taken from the yml
and run unchanged with bash, with the environment a runner gives them (GITHUB_*, RUNNER_TEMP, CI, the files
behind GITHUB_ENV, GITHUB_PATH and GITHUB_OUTPUT), and the workflow's own `env:` at workflow, job and step level,
`${{ }}` expressions evaluated. Jobs run one after another in `needs` order, each matrix leg as its own job with
its own workspace, temp folder, NuGet packages folder and ~/.cache, as on a fresh runner. The few actions the
samples use are emulated:

    actions/checkout        copies REPO_DIR into the job's workspace
    actions/setup-dotnet    checks that the installed SDK matches dotnet-version (nothing is installed)
    actions/upload-artifact / actions/download-artifact   through a folder under DIR

Anything else (another action, `if:`, a shell other than bash, an unknown expression) stops the run with an
error rather than being skipped, so a workflow cannot pass here with a step that was never tried.

Options:
    --github KEY=VALUE      the github context: repository, ref, ref_name, sha, actor, server_url, event_name
    --secret NAME=VALUE     secrets.NAME
    --var NAME=VALUE        vars.NAME (an unset variable is empty, as on GitHub)
    --set-env NAME=VALUE    replaces the value the workflow's top-level env gives NAME (which must be there),
                            e.g. to point REGISTRY at a local registry
    --machine-env NAME=VALUE  part of the runner machine's environment, under the workflow's env
"""
import argparse
import fnmatch
import glob
import itertools
import os
import re
import shutil
import subprocess
import sys

try:
    import yaml
except ImportError:
    sys.exit("error: PyYAML is not installed (Debian: apt-get install python3-yaml)")


class WorkflowError(Exception):
    pass


def pairs(values):
    result = {}
    for value in values or []:
        name, sep, rest = value.partition("=")
        if not sep:
            raise WorkflowError(f"expected NAME=VALUE, got '{value}'")
        result[name] = rest
    return result


# ---- expressions: ${{ a.b }}, ${{ a.b || 'literal' }}; the subset the samples use, and nothing silently more.

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
TERM = re.compile(r"^(?:'((?:[^']|'')*)'|([A-Za-z_][\w-]*(?:\.[\w-]+)*))$")


def evaluate(expression, contexts):
    for alternative in expression.split("||"):
        alternative = alternative.strip()
        match = TERM.match(alternative)
        if not match:
            raise WorkflowError(f"expression not supported here: ${{{{ {expression} }}}}")
        if match.group(1) is not None:
            value = match.group(1).replace("''", "'")
        else:
            root, *path = match.group(2).split(".")
            if root not in contexts:
                raise WorkflowError(f"unknown context '{root}' in ${{{{ {expression} }}}}")
            value = contexts[root]
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
        if value not in (None, "", False):
            return value
    return ""


def substitute(value, contexts):
    if isinstance(value, str):
        return EXPRESSION.sub(lambda m: str(evaluate(m.group(1), contexts)), value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def evaluated_env(block, contexts):
    env = {}
    for name, value in (block or {}).items():
        env[name] = substitute(value, {**contexts, "env": {**contexts.get("env", {}), **env}})
    return env


# ---- jobs

def job_order(jobs):
    done, order = set(), []
    def visit(name, seen=()):
        if name in done:
            return
        if name in seen:
            raise WorkflowError(f"job '{name}' depends on itself")
        needs = jobs[name].get("needs") or []
        for need in [needs] if isinstance(needs, str) else needs:
            if need not in jobs:
                raise WorkflowError(f"job '{name}' needs unknown job '{need}'")
            visit(need, seen + (name,))
        done.add(name)
        order.append(name)
    for name in jobs:
        visit(name)
    return order


def matrix_legs(job):
    matrix = (job.get("strategy") or {}).get("matrix")
    if not matrix:
        return [{}]
    unsupported = set(matrix) & {"exclude"}
    if unsupported or isinstance(matrix, str):
        raise WorkflowError(f"matrix form not supported: {matrix}")
    keys = [k for k in matrix if k != "include"]
    legs = [dict(zip(keys, combo)) for combo in itertools.product(*(matrix[k] for k in keys))] if keys else []
    for extra in matrix.get("include") or []:
        legs.append(dict(extra))
    return legs or [{}]


class Runner:
    def __init__(self, args):
        self.workflow_path = os.path.abspath(args.workflow)
        with open(self.workflow_path, encoding="utf-8") as f:
            self.workflow = yaml.safe_load(f)
        self.checkout = os.path.abspath(args.checkout)
        self.work = os.path.abspath(args.work)
        self.artifacts = os.path.join(self.work, "artifacts")
        self.github = {"server_url": "https://github.com", "event_name": "push", **pairs(args.github)}
        self.github["repository_owner"] = self.github.get("repository", "").split("/")[0]
        self.secrets = pairs(args.secret)
        self.vars = pairs(args.var)
        self.machine_env = pairs(args.machine_env)
        self.set_env = pairs(args.set_env)
        unknown = set(self.set_env) - set(self.workflow.get("env") or {})
        if unknown:
            raise WorkflowError(f"--set-env names what the workflow's env does not: {', '.join(sorted(unknown))}")

    def run(self):
        if os.path.exists(self.work) and os.listdir(self.work):
            raise WorkflowError(f"--work {self.work} is not empty: every run starts on fresh runners")
        os.makedirs(self.artifacts)
        jobs = self.workflow.get("jobs") or {}
        for name in job_order(jobs):
            for index, matrix in enumerate(matrix_legs(jobs[name])):
                label = name + (f" ({', '.join(str(v) for v in matrix.values())})" if matrix else "")
                self.run_job(name, jobs[name], matrix, os.path.join(self.work, "jobs", f"{name}-{index}"), label)

    def run_job(self, name, job, matrix, folder, label):
        for key in ("if", "container", "services"):
            if key in job:
                raise WorkflowError(f"job '{name}': '{key}' is not supported here")
        workspace, temp = os.path.join(folder, "workspace"), os.path.join(folder, "temp")
        os.makedirs(workspace)
        os.makedirs(temp)
        files = {n: os.path.join(folder, n.lower()) for n in ("GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")}
        for path in files.values():
            open(path, "w").close()
        github = {**self.github, "workspace": workspace, "job": name}
        runner = {"temp": temp, "os": "Linux", "arch": "X64"}
        contexts = {"github": github, "runner": runner, "matrix": matrix, "secrets": self.secrets, "vars": self.vars, "env": {}}
        workflow_env = evaluated_env(self.workflow.get("env"), contexts)
        workflow_env.update(self.set_env)
        contexts["env"] = workflow_env
        job_env = {**workflow_env, **evaluated_env(job.get("env"), contexts)}
        shell = self.default_shell(job)
        print(f"\n=== job {label} (runs-on: {substitute(job.get('runs-on'), contexts)})", flush=True)

        for number, step in enumerate(job.get("steps") or [], 1):
            for key in ("if", "continue-on-error", "id"):
                if key in step:
                    raise WorkflowError(f"job '{name}' step {number}: '{key}' is not supported here")
            step_contexts = {**contexts, "env": job_env}
            env = {**job_env, **evaluated_env(step.get("env"), step_contexts)}
            step_contexts["env"] = env
            title = substitute(step.get("name") or step.get("uses") or step.get("run", "").split("\n")[0], step_contexts)
            print(f"--- {label}: {title}", flush=True)
            if "uses" in step:
                self.run_action(step["uses"], {k: substitute(v, step_contexts) for k, v in (step.get("with") or {}).items()}, workspace, temp)
            else:
                process_env = self.process_env(github, runner, files, env)
                cwd = os.path.join(workspace, step.get("working-directory", ""))
                self.run_script(substitute(step["run"], step_contexts), step.get("shell", shell), process_env, cwd, temp, f"{label}: {title}")

    def default_shell(self, job):
        for level in (job, self.workflow):
            shell = ((level.get("defaults") or {}).get("run") or {}).get("shell")
            if shell:
                return shell
        return None

    def process_env(self, github, runner, files, env):
        process_env = dict(os.environ)
        process_env.update(self.machine_env)
        # A fresh runner's caches are empty: NuGet's packages folder and ~/.cache (MultiArch.Build's layer cache).
        process_env["NUGET_PACKAGES"] = os.path.join(os.path.dirname(github["workspace"]), "nuget-packages")
        process_env["XDG_CACHE_HOME"] = os.path.join(os.path.dirname(github["workspace"]), "cache")
        process_env.update({
            "CI": "true", "GITHUB_ACTIONS": "true",
            "GITHUB_REPOSITORY": github.get("repository", ""), "GITHUB_REPOSITORY_OWNER": github["repository_owner"],
            "GITHUB_REF": github.get("ref", ""), "GITHUB_REF_NAME": github.get("ref_name", ""),
            "GITHUB_SHA": github.get("sha", ""), "GITHUB_ACTOR": github.get("actor", ""),
            "GITHUB_SERVER_URL": github["server_url"], "GITHUB_EVENT_NAME": github["event_name"],
            "GITHUB_WORKSPACE": github["workspace"], "GITHUB_JOB": github["job"],
            "RUNNER_TEMP": runner["temp"], "RUNNER_OS": runner["os"], "RUNNER_ARCH": runner["arch"],
            **files,
        })
        process_env.update(env)
        # What earlier steps wrote to GITHUB_ENV and GITHUB_PATH, as the runner applies it to later steps.
        process_env.update(read_env_file(files["GITHUB_ENV"]))
        with open(files["GITHUB_PATH"], encoding="utf-8") as f:
            added = [line.strip() for line in f if line.strip()]
        if added:
            process_env["PATH"] = os.pathsep.join(reversed(added)) + os.pathsep + process_env.get("PATH", "")
        return process_env

    def run_script(self, script, shell, env, cwd, temp, title):
        # GitHub's bash: with `shell: bash` named, pipefail too; without it, only -e.
        if shell == "bash":
            command = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]
        elif shell is None:
            command = ["bash", "-e"]
        else:
            raise WorkflowError(f"shell '{shell}' is not supported here")
        path = os.path.join(temp, "step.sh")
        with open(path, "w", encoding="utf-8") as f:
            f.write(script)
        status = subprocess.run(command + [path], cwd=cwd, env=env).returncode
        if status != 0:
            raise WorkflowError(f"step '{title}' exited with {status}")

    # ---- the actions the samples use

    def run_action(self, uses, inputs, workspace, temp):
        action = uses.split("@")[0]
        handlers = {
            "actions/checkout": self.checkout_action,
            "actions/setup-dotnet": self.setup_dotnet,
            "actions/upload-artifact": self.upload_artifact,
            "actions/download-artifact": self.download_artifact,
        }
        if action not in handlers:
            raise WorkflowError(f"no emulation for '{uses}'")
        handlers[action](inputs, workspace, temp)

    def checkout_action(self, inputs, workspace, temp):
        expect_inputs("actions/checkout", inputs, set())
        shutil.rmtree(workspace)
        shutil.copytree(self.checkout, workspace, symlinks=True)
        print(f"checked out {self.checkout}", flush=True)

    def setup_dotnet(self, inputs, workspace, temp):
        expect_inputs("actions/setup-dotnet", inputs, {"dotnet-version"})
        wanted = inputs.get("dotnet-version", "")
        pattern = re.escape(wanted).replace(r"\.x", r"\.\d+").replace("x", r"\d+")
        sdks = subprocess.run(["dotnet", "--list-sdks"], capture_output=True, text=True, check=True).stdout.split("\n")
        found = [line.split()[0] for line in sdks if line and re.match(pattern + r"(\D|$)", line)]
        if not found:
            raise WorkflowError(f"actions/setup-dotnet: no installed SDK matches dotnet-version '{wanted}'")
        print(f"dotnet-version {wanted}: SDK {found[-1]} is installed", flush=True)

    def upload_artifact(self, inputs, workspace, temp):
        expect_inputs("actions/upload-artifact", inputs, {"name", "path", "if-no-files-found", "retention-days"})
        name = inputs.get("name") or "artifact"
        target = os.path.join(self.artifacts, name)
        if os.path.exists(target):
            raise WorkflowError(f"actions/upload-artifact: an artifact named '{name}' already exists")
        matches = []
        for pattern in inputs["path"].split("\n"):
            if pattern.strip():
                matches += glob.glob(os.path.join(workspace, pattern.strip()))
        files = [m for m in matches if os.path.isfile(m)]
        if not files:
            raise WorkflowError(f"actions/upload-artifact: no files match '{inputs['path']}'")
        # As the action does: paths are kept relative to the matches' least common ancestor.
        root = os.path.commonpath([os.path.dirname(f) for f in files])
        for file in files:
            destination = os.path.join(target, os.path.relpath(file, root))
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            shutil.copy2(file, destination)
        print(f"uploaded {len(files)} file(s) as '{name}'", flush=True)

    def download_artifact(self, inputs, workspace, temp):
        expect_inputs("actions/download-artifact", inputs, {"name", "pattern", "path", "merge-multiple"})
        path = os.path.join(workspace, inputs.get("path") or "")
        names = sorted(os.listdir(self.artifacts))
        if inputs.get("name"):
            chosen, merge = [inputs["name"]] if inputs["name"] in names else [], True
        else:
            chosen = [n for n in names if fnmatch.fnmatchcase(n, inputs.get("pattern") or "*")]
            merge = inputs.get("merge-multiple") == "true"
        if not chosen:
            raise WorkflowError(f"actions/download-artifact: no artifact matches {inputs}")
        for name in chosen:
            shutil.copytree(os.path.join(self.artifacts, name), path if merge else os.path.join(path, name), dirs_exist_ok=True)
        print(f"downloaded {', '.join(chosen)} into {path}", flush=True)


def expect_inputs(action, inputs, known):
    unknown = set(inputs) - known
    if unknown:
        raise WorkflowError(f"{action}: inputs not emulated here: {', '.join(sorted(unknown))}")


def read_env_file(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    env = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if "<<" in line and "=" not in line.split("<<")[0]:
            name, delimiter = line.split("<<", 1)
            value = []
            while i < len(lines) and lines[i] != delimiter:
                value.append(lines[i])
                i += 1
            i += 1
            env[name] = "\n".join(value)
        elif "=" in line:
            name, value = line.split("=", 1)
            env[name] = value
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("workflow")
    parser.add_argument("--checkout", required=True)
    parser.add_argument("--work", required=True)
    for option in ("github", "secret", "var", "set-env", "machine-env"):
        parser.add_argument("--" + option, action="append", metavar="NAME=VALUE")
    args = parser.parse_args()
    try:
        Runner(args).run()
    except WorkflowError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"\n=== {os.path.basename(args.workflow)}: every step passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

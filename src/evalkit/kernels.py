"""Notebooks executed on a kernel that outlives them: start-up and imports are paid once per
kernel, not once per notebook.

A :class:`NotebookKernel` is one ipykernel started in the notebooks' folder. Before each
notebook it is put back to the state of a fresh kernel, as far as a notebook can tell: empty
user namespace, execution count 1, matplotlib's settings and open figures, pandas' options, the
warning filters (and so their "shown once" memory) and the working directory as they were at
start. Imported modules stay cached, which is the point. Papermill still parameterises and
records each notebook; it executes through :class:`SharedKernelEngine`, a papermill engine
(papermill's engines are pluggable) whose nbclient client connects to the running kernel
instead of starting one. Papermill's ``cwd=`` (a process-wide ``chdir``) is not used: the kernel
starts in the notebooks' folder.

JupyterLab is untouched: it starts its own kernels and never sees this module.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

KERNEL_NAME = "python3"
# ipykernel warns on every start that its loopback TCP is unencrypted; say nothing unless
# something is wrong.
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=ERROR",
                    "--HistoryManager.hist_file=:memory:")  # as nbclient: no sqlite locks
ENGINE_NAME = "evalkit-shared-kernel"
START_ATTEMPTS = 3  # kernel starts tried before giving up (see NotebookKernel.__init__)
READY_TIMEOUT_S = 60.0  # a live kernel that has not answered by then is an error

# Run silently in the kernel at start: remember what "fresh" looks like.
SNAPSHOT = """
def __evalkit_snapshot():
    import os, sys, warnings
    state = {"cwd": os.getcwd(), "filters": list(warnings.filters)}
    sys.modules["__evalkit_fresh__"] = type(sys)("__evalkit_fresh__")
    sys.modules["__evalkit_fresh__"].state = state
__evalkit_snapshot()
del __evalkit_snapshot
"""

# Run silently before every notebook: back to the fresh state (modules stay imported).
RESET = """
def __evalkit_reset():
    import os, sys, warnings
    state = sys.modules["__evalkit_fresh__"].state
    os.chdir(state["cwd"])
    warnings.filters[:] = state["filters"]
    warnings._filters_mutated()  # forget which warnings were already shown once
    if "matplotlib" in sys.modules:
        import matplotlib
        if "rc" not in state:
            state["rc"] = matplotlib.rcParams.copy()
        import matplotlib.pyplot as plt
        plt.close("all")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            matplotlib.rcParams.update(state["rc"])
    if "pandas" in sys.modules:
        import pandas
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pandas.reset_option("all")
    get_ipython().reset(new_session=True)  # user namespace, Out cache, In [1] again
__evalkit_reset()
"""


class KernelError(RuntimeError):
    """Code evalkit ran in a kernel (warm-up, reset) failed."""


class KernelDied(RuntimeError):
    """The kernel process ended before it answered (see ``NotebookKernel.__init__``)."""


class NotebookKernel:
    """One running ipykernel for several notebooks, one after another.

    Use from one thread (its channels belong to that thread's event loop); ``interrupt`` and
    ``shutdown`` may be called from any thread.
    """

    def __init__(self, cwd: Path, kernel_name: str = KERNEL_NAME, warm_up: str = ""):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        self.cwd = Path(cwd)
        started = time.perf_counter()
        for attempt in range(1, START_ATTEMPTS + 1):
            # jupyter_client picks free TCP ports and the kernel binds them a moment later:
            # another program (another evalkit run, a test suite) can take one in between, and
            # the kernel exits at once ("Address already in use"). A new manager picks new ports.
            self.manager = AsyncKernelManager(kernel_name=kernel_name)
            run_sync(self.manager.start_kernel)(cwd=str(self.cwd),
                                                extra_arguments=list(KERNEL_ARGUMENTS))
            try:
                self.run_silently(SNAPSHOT + warm_up)
                break
            except KernelDied:
                self.kill()
                with contextlib.suppress(Exception):  # its connection file
                    run_sync(self.manager.cleanup_resources)()
                if attempt == START_ATTEMPTS:
                    raise
            except BaseException:
                self.kill()
                raise
        self.startup_s = time.perf_counter() - started

    def alive(self) -> bool:
        """Whether the kernel process is still running."""
        process = getattr(self.manager.provisioner, "process", None)
        return process is not None and process.poll() is None

    def run_silently(self, code: str, timeout: float = 600) -> None:
        """Execute ``code`` without output or history; raise :class:`KernelError` on error."""
        client = self.manager.blocking_client()
        client.start_channels()
        try:
            self._wait_for_ready(client)
            reply = client.execute(code, silent=True, store_history=False, reply=True,
                                   timeout=timeout)
        finally:
            client.stop_channels()
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelError(f"{content.get('ename')}: {content.get('evalue')}")

    def _wait_for_ready(self, client: Any, timeout: float = READY_TIMEOUT_S) -> None:
        """Wait for the kernel to answer, in short steps, so that a kernel that died while
        starting is noticed in a second instead of after the whole timeout."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.wait_for_ready(timeout=1)
                return
            except RuntimeError:
                if not self.alive():
                    raise KernelDied("the kernel exited while starting") from None
                if time.monotonic() > deadline:
                    raise

    def _signal(self, signum: int) -> None:
        # The kernel leads its own process group (jupyter_client starts it in a new
        # session), so a terminal's Ctrl-C never reaches it: evalkit passes it on. A signal
        # rather than the manager's async API, so that any thread may call this.
        process = getattr(self.manager.provisioner, "process", None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)

    def interrupt(self) -> None:
        """Interrupt the code running in the kernel (as Jupyter's stop button does)."""
        self._signal(signal.SIGINT)

    def kill(self) -> None:
        """End the kernel process group at once, from any thread."""
        self._signal(signal.SIGKILL)

    def shutdown(self) -> None:
        """Stop the kernel (from the thread that started it) and clean its connection file."""
        if self.manager.has_kernel:
            self._run_sync(self.manager.shutdown_kernel)(now=True)


async def reset_through(client: Any, alive: Callable[[], bool],
                        timeout: float = READY_TIMEOUT_S) -> None:
    """Reset the kernel through ``client`` (an async kernel client with started channels) and
    return once its IOPub subscription is live, so that no output of the next cell is lost.

    jupyter_client's ``wait_for_ready`` would do the second part but ends in a 0.2 s wait for
    IOPub to fall silent; called for the reset and again by nbclient, that was 0.5 s of every
    notebook. Here the reset's own status messages prove the subscription, and a kernel_info
    request is repeated only if they were published before it was live.
    """
    from queue import Empty

    deadline = time.monotonic() + timeout

    async def next_message(channel: str) -> dict[str, Any] | None:
        while True:
            try:
                getter = client.get_shell_msg if channel == "shell" else client.get_iopub_msg
                return await getter(timeout=0.25 if channel == "iopub" else 1)
            except Empty:
                if not alive():
                    raise KernelDied("the kernel exited between notebooks") from None
                if time.monotonic() > deadline:
                    raise KernelError(f"the kernel did not answer in {timeout:.0f} s") from None
                if channel == "iopub":
                    return None

    request = client.execute(RESET, silent=True, store_history=False)
    while True:
        reply = await next_message("shell")
        if reply is not None and reply["parent_header"].get("msg_id") == request:
            break  # (the shell channel never gives None; the check is for the type)
    content = reply["content"]
    if content.get("status") != "ok":
        raise KernelError(f"{content.get('ename')}: {content.get('evalue')}")
    while True:  # IOPub: the idle status of the reset, or of a probe sent after it
        message = await next_message("iopub")
        if message is None:
            request = client.kernel_info()
            continue
        if (message["msg_type"] == "status"
                and message["parent_header"].get("msg_id") == request
                and message["content"].get("execution_state") == "idle"):
            return


@cache
def _engine() -> type:
    """The papermill engine class, built on first use so papermill is imported only then."""
    from nbclient.util import run_sync
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import Engine, papermill_engines
    from papermill.log import logger

    class SharedKernelClient(PapermillNotebookClient):
        """Papermill's client on a running kernel: resets it as it connects (one round trip
        instead of jupyter_client's wait_for_ready, see :func:`reset_through`)."""

        kernel: NotebookKernel

        async def async_start_new_kernel_client(self) -> Any:
            from nbclient.util import run_hook

            self.kc = self.km.client()
            self.kc.start_channels()
            try:
                await reset_through(self.kc, self.kernel.alive, self.startup_timeout)
            except BaseException:
                self.kc.stop_channels()
                raise
            self.kc.allow_stdin = False
            await run_hook(self.on_notebook_start, notebook=self.nb)
            return self.kc

        # nbclient's synchronous name is bound to its own coroutine at class creation
        start_new_kernel_client = run_sync(async_start_new_kernel_client)

    class SharedKernelEngine(Engine):
        """Papermill engine: run the notebook on ``kernel`` (a :class:`NotebookKernel`)."""

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                     stdout_file: Any = None, stderr_file: Any = None,
                                     start_timeout: int = 60, execution_timeout: Any = None,
                                     kernel: NotebookKernel | None = None, **kwargs: Any) -> Any:
            if kernel is None:
                raise ValueError(f"the {ENGINE_NAME} engine needs kernel=NotebookKernel(...)")
            client = SharedKernelClient(
                nb_man, km=kernel.manager, kernel_name=kernel_name, log=logger,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
                startup_timeout=start_timeout, timeout=execution_timeout)
            client.kernel = kernel
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register(ENGINE_NAME, SharedKernelEngine)
    return SharedKernelEngine


def execute_on(kernel: NotebookKernel, notebook: Path, output: Path,
               parameters: dict[str, str]) -> float:
    """Execute one notebook on ``kernel`` with papermill; return the seconds it took."""
    import papermill

    _engine()
    started = time.perf_counter()
    # Saved once at the end (and on failure, before papermill raises), not twice per cell:
    # at thousands of innovations a notebook's JSON is megabytes.
    papermill.execute_notebook(str(notebook), str(output), parameters=parameters,
                               engine_name=ENGINE_NAME, kernel_name=KERNEL_NAME,
                               progress_bar=False, report_mode=False, kernel=kernel,
                               request_save_on_cell_execute=False)
    return time.perf_counter() - started


def warm_up_code(notebooks: Sequence[Path]) -> str:
    """Code importing every module the notebooks import at top level, each import guarded
    (a missing module fails in its notebook, where the reader looks, not here)."""
    import ast

    import nbformat

    modules: dict[str, None] = {}
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:  # IPython magics
                continue
            for node in tree.body:
                if isinstance(node, ast.Import):
                    modules.update((a.name, None) for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules[node.module] = None
    return "".join(f"try:\n    import {name}\nexcept Exception:\n    pass\n"
                   for name in modules)


@dataclass(frozen=True)
class Job:
    """One notebook to execute and where its executed copy goes."""

    notebook: Path
    output: Path
    label: str  # e.g. "2/5 02_iid", for progress lines
    weight: int = 1  # relative cost, for dealing a stage's notebooks to the lanes


def assign(jobs: Sequence[Job], lanes: int) -> list[list[Job]]:
    """Deal jobs to lanes, heaviest first, each to the least loaded lane (the first on a tie).

    Lane 0 ran the stage before, so its kernel already holds what that stage loaded (the
    validated years): the heaviest notebook goes there.
    """
    dealt: list[list[Job]] = [[] for _ in range(lanes)]
    load = [0] * lanes
    for job in sorted(jobs, key=lambda j: -j.weight):
        lane = load.index(min(load))
        dealt[lane].append(job)
        load[lane] += job.weight
    return dealt


class JobFailed(RuntimeError):
    """A notebook raised; ``job`` says which, ``__cause__`` holds papermill's error."""

    def __init__(self, job: Job, error: BaseException):
        super().__init__(f"{job.notebook.stem}: {error}")
        self.job, self.error = job, error


def execute_stages(stages: Sequence[Sequence[Job]], parameters: dict[str, str], cwd: Path,
                   lanes: int = 1, fresh: bool = False,
                   progress: Callable[[str], None] = print) -> dict[str, float]:
    """Execute stages of notebooks on ``lanes`` kernels; return seconds per notebook.

    Each lane is a thread with its own kernel, started at once (so the kernels of the later
    lanes start while the first stage runs). A stage starts when the one before it is done;
    its notebooks are dealt to the lanes beforehand (``assign``): the same run always puts
    the same notebook on the same kernel. ``fresh=True`` starts a new kernel for every
    notebook instead (the behaviour one-kernel runs are compared with).

    On Ctrl-C (``KeyboardInterrupt`` in the calling thread) the running notebooks are
    interrupted, nothing else starts, every kernel is stopped, and the interrupt is raised
    again. A failing notebook stops new notebooks from starting and raises :class:`JobFailed`
    once the running ones are done.
    """
    lanes = max(1, min(lanes, max(len(s) for s in stages) if stages else 1))
    cancel = threading.Event()
    barrier = threading.Barrier(lanes)
    lock = threading.Lock()
    pending = [assign(stage, lanes) for stage in stages]  # stage -> lane -> jobs
    timings: dict[str, float] = {}
    failures: list[BaseException] = []  # the first one is raised
    kernels: list[NotebookKernel] = []

    warm_up = warm_up_code(sorted({job.notebook for stage in stages for job in stage}))

    def start_kernel() -> NotebookKernel:
        kernel = NotebookKernel(cwd, warm_up=warm_up)
        with lock:
            kernels.append(kernel)
            timings["kernel_start"] = max(timings.get("kernel_start", 0.0), kernel.startup_s)
        return kernel

    def stop_kernel(kernel: NotebookKernel) -> None:
        try:
            if cancel.is_set():
                kernel.kill()  # abandoned: nothing to wait for
            kernel.shutdown()
        except Exception:  # a kernel killed after Ctrl-C: already gone
            kernel.kill()
        with lock:
            kernels.remove(kernel)

    def lane(index: int) -> None:
        kernel = None
        try:
            if not fresh:
                kernel = start_kernel()
            for dealt in pending:
                barrier.wait()
                for job in dealt[index]:
                    if cancel.is_set():
                        break
                    progress(f"{job.label} ...")
                    own = start_kernel() if fresh else kernel
                    try:
                        seconds = execute_on(own, job.notebook, job.output, parameters)
                    except BaseException as exc:
                        if not cancel.is_set():
                            failures.append(JobFailed(job, exc))
                        cancel.set()
                        barrier.abort()
                        return
                    finally:
                        if fresh:
                            stop_kernel(own)
                    timings[job.notebook.stem] = seconds
                    progress(f"{job.label} done in {seconds:.1f} s")
        except threading.BrokenBarrierError:
            return  # another lane failed or the run was interrupted
        except BaseException as exc:  # a kernel would not start
            if not cancel.is_set():
                failures.append(exc)
            cancel.set()
            barrier.abort()
        finally:
            if kernel is not None:
                stop_kernel(kernel)

    threads = [threading.Thread(target=lane, args=(i,), name=f"evalkit-lane-{i}", daemon=True)
               for i in range(lanes)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)
    except KeyboardInterrupt:
        cancel.set()
        barrier.abort()
        _stop_all(kernels, lock, threads)
        raise
    if failures:
        raise failures[0]
    return timings


def _stop_all(kernels: list[NotebookKernel], lock: threading.Lock,
              threads: Sequence[threading.Thread], grace: float = 1.0) -> None:
    """Ctrl-C: interrupt every kernel, give the cells ``grace`` seconds to stop, then end the
    kernels that have not; wait a little for the lanes to notice."""
    with lock:
        running = list(kernels)
    for kernel in running:
        kernel.interrupt()
    _join(threads, grace)
    with lock:
        running = list(kernels)
    for kernel in running:
        kernel.kill()
    _join(threads, 5.0)


def _join(threads: Sequence[threading.Thread], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))

"""``python -m cypmh``: the cypmh command (needs the ``cli`` extra: click).

Run from the command line (no ``argv``), the command runs in a child process
where the system allows it (:func:`guarded`): a dataframe library that runs
out of memory aborts the whole process (Polars panics, the kernel's
out-of-memory killer sends SIGKILL), and the parent turns that into one
``Error:`` line that says what to do, never an abort or a core dump. The
parent passes SIGTERM and SIGHUP on to the child, whose own handlers remove
any temporary copy of the extract (:func:`cypmh.io.sources.as_folder`).
"""

from __future__ import annotations

import errno
import faulthandler
import os
import signal
import sys
import traceback
from collections.abc import Sequence

__all__ = ["OUT_OF_MEMORY", "guarded", "internal_error", "main"]

OUT_OF_MEMORY = (
    "Error: cypmh stopped: it ran out of memory ({how}). Read the extract from a database "
    "(--db, read in chunks), give --engine polars if you used the reference reader, or run it "
    "on a machine with more memory."
)
"""What the command says when the run died for want of memory."""


def internal_error(exc: BaseException) -> str:
    """The one line for an error cypmh did not expect: its kind and where, no value it held.

    >>> try:
    ...     {}["a key"]
    ... except KeyError as exc:
    ...     print(internal_error(exc))  # doctest: +ELLIPSIS
    Error: cypmh stopped on an internal error (KeyError, at <doctest ...>, line 2). ...
    """
    frames = traceback.extract_tb(exc.__traceback__)
    where = f", at {frames[-1].filename}, line {frames[-1].lineno}" if frames else ""
    return (
        f"Error: cypmh stopped on an internal error ({type(exc).__name__}{where}). This is a "
        "bug in cypmh, not in your data: please report it with the command you ran."
    )


_DIED: dict[int, str] = {
    signal.SIGABRT: "the dataframe library aborted",
    signal.SIGKILL: "it was killed, most often by the system for want of memory",
}
_PASSED_ON = (signal.SIGTERM, signal.SIGHUP)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cypmh`` command; return its exit status.

    With ``argv`` (a test, a script) the command runs in this process; without
    it (the command line), in a guarded child where the system can fork.
    """
    if argv is None and hasattr(os, "fork") and not os.environ.get("CYPMH_NO_GUARD"):
        return guarded(sys.argv[1:])
    return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    try:
        # Imported when the command runs, so that `cypmh --help` stays quick.
        import click

        from cypmh.cli.main import cli
    except ImportError as exc:  # pragma: no cover - depends on what is installed
        if getattr(exc, "name", None) != "click":
            raise
        print("The cypmh command needs click: pip install 'cypmh[cli]'", file=sys.stderr)
        return 2
    try:
        args = list(argv) if argv is not None else None
        cli.main(args=args, prog_name="cypmh", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except SystemExit as exc:
        return int(exc.code or 0)
    except MemoryError:
        click.echo(
            "Error: out of memory. Give --engine polars (or duckdb), which read an extract in "
            "a fraction of the reference reader's memory, or a machine with more memory.",
            err=True,
        )
        return 1
    except OSError as exc:
        if exc.errno != errno.ENOMEM:
            raise
        print(OUT_OF_MEMORY.format(how="the system could not allocate memory"), file=sys.stderr)
        return 1
    return 0


def guarded(argv: Sequence[str]) -> int:
    """Run the command in a child process and report its death by abort or SIGKILL as one line."""
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's status is what the parent reports
        os.environ["RUST_BACKTRACE"] = "0"  # an abort says one line, not a backtrace
        faulthandler.disable()  # nor a Python one
        status = 1
        try:
            status = _run(argv)
        except MemoryError:
            print(OUT_OF_MEMORY.format(how="Python could not allocate memory"), file=sys.stderr)
        except Exception as exc:  # a bug: one line that says where, never a value it held
            print(internal_error(exc), file=sys.stderr)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    previous = {sig: signal.signal(sig, lambda sig, _: os.kill(child, sig)) for sig in _PASSED_ON}
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)  # the child has the terminal's too
    try:
        while True:
            try:
                _, status = os.waitpid(child, 0)
                break
            except InterruptedError:  # pragma: no cover - a signal arrived while waiting
                continue
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        signal.signal(signal.SIGINT, interrupt)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    died = os.WTERMSIG(status)
    if died in _DIED:
        print(OUT_OF_MEMORY.format(how=_DIED[died]), file=sys.stderr)
        return 1
    return 128 + died


if __name__ == "__main__":
    sys.exit(main())

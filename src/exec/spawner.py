# The spawner in Python, which the engine prefers on Linux, under Node and Deno, when a python3
# (3.8 or later) is on the PATH; spawner-main.ts is the same helper in Node (current-launcher.ts
# says which runs where). Same wire format (spawner-protocol.ts): a first line with the
# environment tasks inherit, then request lines on stdin and reply lines on stdout.
#
# Why a second language: Node starts a child with fork() plus its own bookkeeping, about 1 ms of
# CPU per task even from a process as small as spawner-main; posix_spawn (vfork and exec) costs a
# third of that. On a 2-core machine running 10,000 one-line tasks two at a time, that took a run
# from 17.8-19.5 s to 11.7-11.9 s, where a bare Node spawn loop takes 9.3 s.
#
# Kept to the standard library and to Python 3.8 syntax. Exits before saying "ready" when it
# cannot do its job here, and the engine then starts tasks the next way.
import errno
import json
import os
import selectors
import signal
import sys

EXIT_UNSUPPORTED = 3


def error_code(error):
    return errno.errorcode.get(error.errno or 0, "EIO")


def node_style(error, syscall, path):
    # The form of Node's own errors (e.g. "EACCES: permission denied, open '/x/t.log'"), so a
    # message reads the same whichever spawner produced it.
    text = error.strerror or str(error)
    return "%s: %s, %s '%s'" % (error_code(error), text[:1].lower() + text[1:], syscall, path)


def open_log(request, home):
    append = request.get("append")
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append is not None else os.O_TRUNC)
    # A relative path means what it would to the engine, whose directory this process started in.
    path = os.path.join(home, request["logFile"])
    try:
        fd = os.open(path, flags, 0o666)
    except FileNotFoundError:
        # Only the first attempt of a milestone finds its log folder missing.
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, flags, 0o666)
    if append is not None:
        try:
            os.write(fd, append.encode())
        except OSError:
            os.close(fd)
            raise
    return fd


class Spawner:
    def __init__(self):
        self.base_env = None
        self.running = {}  # pid -> request id
        self.home = self.cwd = os.getcwd()
        self.search_path = os.environ.get("PATH")
        # Python ignores SIGPIPE and SIGXFSZ, and an ignored signal stays ignored across exec:
        # every task gets the default dispositions back, as Node's children do.
        self.default_signals = [s for s in signal.valid_signals() if s not in (signal.SIGKILL, signal.SIGSTOP)]

    def reply(self, message):
        data = (json.dumps(message, separators=(",", ":")) + "\n").encode()
        while data:
            data = data[os.write(1, data):]

    def launch(self, request):
        rid = request["id"]
        try:
            fd = open_log(request, self.home)
        except OSError as error:
            self.reply({"id": rid, "error": {"phase": "setup", "code": error_code(error), "message": node_style(error, "open", request["logFile"])}})
            return
        try:
            env = self.base_env if not request["env"] else dict(self.base_env, **request["env"])
            # One request at a time, so the spawner's own directory is the child's to inherit;
            # entered first, as a child would, so that a relative PATH entry means the same.
            if request["cwd"] != self.cwd:
                os.chdir(request["cwd"])
                self.cwd = request["cwd"]
            self.search_on(env.get("PATH"))
            pid = os.posix_spawnp(
                request["file"],
                [request["file"]] + request["args"],
                env,
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_DUP2, fd, 1),
                    (os.POSIX_SPAWN_DUP2, fd, 2),
                ],
                setsid=True,
                setsigmask=(),
                setsigdef=self.default_signals,
            )
        except OSError as error:
            self.exec_failed(rid, request["file"], error_code(error))
            return
        except (ValueError, TypeError, NotImplementedError) as error:
            # What Node refuses before it forks too, e.g. a NUL byte in an argument or variable.
            self.reply({"id": rid, "error": {"phase": "setup", "message": str(error)}})
            return
        finally:
            os.close(fd)
        self.running[pid] = rid
        self.reply({"id": rid, "pid": pid})

    def search_on(self, path):
        # posix_spawnp looks for the program on this process's PATH, as execvp does in a child
        # Node forks, but each task's is the one in its environment: set ours to it first.
        # Searching in C, one failed execve per folder, costs a fifth of testing each folder here.
        if path == self.search_path:
            return
        if path is None:
            os.environ.pop("PATH", None)
        else:
            os.environ["PATH"] = path
        self.search_path = path

    def exec_failed(self, rid, program, code):
        self.reply({"id": rid, "error": {"phase": "exec", "code": code, "message": "spawn %s %s" % (program, code)}})

    def reap(self):
        while self.running:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            rid = self.running.pop(pid, None)
            if rid is None:
                continue
            if os.WIFSIGNALED(status):
                number = os.WTERMSIG(status)
                try:
                    name = signal.Signals(number).name
                except ValueError:
                    name = "SIG%d" % number
                self.reply({"id": rid, "exit": {"code": None, "signal": name}})
            else:
                self.reply({"id": rid, "exit": {"code": os.WEXITSTATUS(status), "signal": None}})

    def take(self, line):
        message = json.loads(line)
        if "id" not in message:
            # The first line: the engine's environment. This process's own may differ from it
            # (a pyenv or asdf shim that started us edits PATH), and tasks must get the engine's.
            self.base_env = message["env"]
            return
        self.launch(message)

    def serve(self):
        # SIGCHLD wakes the select through a pipe, so exits and requests are served in one loop.
        # The mask is inherited: a process started from a thread that blocks signals (Node's
        # worker threads block them all) would never see SIGCHLD, nor report an exit.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_read, False)
        os.set_blocking(wake_write, False)
        signal.set_wakeup_fd(wake_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        selector = selectors.DefaultSelector()
        selector.register(0, selectors.EVENT_READ)
        selector.register(wake_read, selectors.EVENT_READ)
        self.reply({"ready": True})
        partial = b""
        while True:
            for key, _ in selector.select():
                if key.fd == wake_read:
                    try:
                        while os.read(wake_read, 4096):
                            pass
                    except BlockingIOError:
                        pass
                else:
                    chunk = os.read(0, 65536)
                    if not chunk:
                        # The engine closed the pipe: it finished, or died. Leave the tasks be;
                        # each is its own group, and a resume kills what a dead run left.
                        os._exit(0)
                    lines = (partial + chunk).split(b"\n")
                    partial = lines.pop()
                    for line in lines:
                        self.take(line)
                self.reap()


def can_start_sessions():
    """Whether this Python's posix_spawn can make a child a session leader (setsid=True): it raises
    NotImplementedError where its C library lacks POSIX_SPAWN_SETSID. Probed with a path that
    cannot exist, so nothing runs."""
    try:
        os.posix_spawn(os.path.join(os.devnull, "probe"), ["probe"], {}, setsid=True)
    except NotImplementedError:
        return False
    except OSError:
        pass
    return True


def main():
    supported = sys.version_info >= (3, 8) and sys.platform.startswith("linux") and hasattr(os, "posix_spawn")
    if not supported or not can_start_sessions():
        sys.exit(EXIT_UNSUPPORTED)
    try:
        Spawner().serve()
    except BrokenPipeError:
        os._exit(0)


main()

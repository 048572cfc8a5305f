package jocker.runtime;

import com.sun.jna.LastErrorException;
import jocker.sys.Fd;
import jocker.sys.LibC;
import jocker.sys.SysException;
import jocker.sys.UnixSocket;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

// tag::terminal-relay[]
/**
 * A terminal of its own for a container in the foreground, as `runc run`
 * gives one when the spec says process.terminal and no --console-socket is
 * named (and `docker run -t` asks for). The init makes the pty inside the
 * container, from its own devpts (init/Console), and sends the master end
 * over a socket pair; this relays the master to jocker's own stdin and
 * stdout. jocker's terminal is raw meanwhile: every key, ^C included, goes
 * to the container's terminal, whose line discipline edits lines and turns
 * ^C into SIGINT for the container's foreground job, as a terminal of its
 * own does. Its window size is copied to the pty, again at every SIGWINCH;
 * and at the end the host's terminal is put back as it was.
 */
public final class TerminalRelay implements AutoCloseable {
    private static final long TIOCGWINSZ = 0x5413L;   // struct winsize: 4 unsigned shorts
    private static final long TIOCSWINSZ = 0x5414L;
    private static final int TCSANOW = 0;
    private static final int POLLIN = 1;

    private final int ours;
    private final int theirs;
    private final Thread receiver;
    private volatile int master = -1;
    private volatile boolean closing;
    private volatile byte[] saved;           // the host terminal's settings before raw mode
    private volatile Thread output;
    private volatile long lastOutput;
    private Signal winch;
    private SignalHandler previousWinch;

    private TerminalRelay() {
        int[] ends = UnixSocket.pair();
        ours = ends[0];
        theirs = ends[1];
        receiver = new Thread(this::receive, "terminal-relay");
        receiver.setDaemon(true);
    }

    /** A relay waiting for the container's terminal; run the container with {@link #stdio()}. */
    public static TerminalRelay start() {
        TerminalRelay relay = new TerminalRelay();
        relay.receiver.start();
        return relay;
    }

    public Stdio stdio() {
        return Stdio.console(theirs);
    }

    private void receive() {
        int fd = UnixSocket.receiveFd(ours);
        if (fd < 0 || closing) {
            Fd.close(fd);
            return; // the init ended before it made a terminal: its error is reported as usual
        }
        master = fd;
        copyWindowSize();
        try {
            winch = new Signal("WINCH");
            previousWinch = Signal.handle(winch, s -> copyWindowSize());
        } catch (IllegalArgumentException notHere) {
            winch = null;
        }
        if (LibC.isatty(0) == 1) {
            byte[] termios = new byte[64];
            try {
                LibC.tcgetattr(0, termios);
                saved = termios.clone();
                LibC.cfmakeraw(termios);
                LibC.tcsetattr(0, TCSANOW, termios);
            } catch (LastErrorException e) {
                throw SysException.of(e, "put the terminal in raw mode");
            }
        }
        lastOutput = System.nanoTime();
        Thread out = new Thread(this::copyOutput, "terminal-output");
        out.setDaemon(true);
        out.start();
        output = out;
        Thread in = new Thread(this::copyInput, "terminal-input");
        in.setDaemon(true);
        in.start();
    }

    private void copyWindowSize() {
        int[] size = new int[2];
        for (int fd = 0; fd <= 1; fd++) {
            if (LibC.isatty(fd) == 1) {
                try {
                    LibC.ioctl(fd, TIOCGWINSZ, size);
                    LibC.ioctl(master, TIOCSWINSZ, size); // the kernel sends SIGWINCH to the pty's foreground
                } catch (LastErrorException e) {
                    // a terminal without a size, or a relay ending: nothing to copy
                }
                return;
            }
        }
    }

    /**
     * stdin to the pty, until the relay closes (poll, so that it does stop).
     * When stdin ends (a pipe, /dev/null, a terminal hung up), the pty gets
     * its end-of-file character, as from a ^D typed at it: a shell reading
     * it ends, as it would have on a pipe, instead of waiting forever.
     */
    private void copyInput() {
        int[] pollFd = {0, POLLIN};
        byte[] buf = new byte[4096];
        OutputStream toPty = Fd.out(master);
        try {
            while (!closing) {
                pollFd[1] = POLLIN;
                if (LibC.poll(pollFd, 1, 100) == 0) {
                    continue;
                }
                long n;
                try {
                    n = LibC.read(0, buf, buf.length);
                } catch (LastErrorException hungUp) {
                    n = 0;
                }
                if (n <= 0) {
                    awaitQuiet();
                    toPty.write(endOfFileCharacter());
                    return;
                }
                toPty.write(buf, 0, (int) n);
            }
        } catch (LastErrorException | IOException e) {
            // the pty gone with the container
        }
    }

    /**
     * Until the container has printed nothing for a moment: waiting for input,
     * a program is quiet. An end-of-file sent earlier, while a shell is still
     * starting, is lost: its line editor switches the terminal to raw mode,
     * and the end-of-file the canonical mode had queued reads as a NUL byte.
     */
    private void awaitQuiet() throws IOException {
        try {
            while (!closing && System.nanoTime() - lastOutput < QUIET_NANOS) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            throw new IOException("interrupted", e);
        }
    }

    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** c_cc[VEOF] of the pty: struct termios has four 4-byte flag words, c_line, then c_cc (VEOF is 4). */
    private int endOfFileCharacter() {
        byte[] termios = new byte[64];
        try {
            LibC.tcgetattr(master, termios);
            return termios[16 + 1 + 4];
        } catch (LastErrorException e) {
            return 4; // ^D, every terminal's default
        }
    }

    /** The pty to stdout, until the container's last process closes the terminal (EIO). */
    private void copyOutput() {
        InputStream from = Fd.in(master);
        OutputStream to = Fd.out(1);
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = from.read(buf, 0, buf.length)) > 0; ) {
                lastOutput = System.nanoTime();
                to.write(buf, 0, n);
            }
        } catch (IOException endOfTheTerminal) {
            // EIO: every slave end is closed
        }
    }

    /** After the container ended: the rest of its output, then the host terminal as it was. */
    @Override
    public void close() {
        closing = true;
        UnixSocket.shutdown(ours); // wakes the receiver if no terminal ever came
        try {
            receiver.join(TimeUnit.SECONDS.toMillis(5));
            Thread out = output;
            if (out != null) {
                out.join(TimeUnit.SECONDS.toMillis(2));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] settings = saved;
        if (settings != null) {
            try {
                LibC.tcsetattr(0, TCSANOW, settings);
            } catch (LastErrorException e) {
                // stdin is no terminal any more: nothing to restore
            }
        }
        if (winch != null) {
            Signal.handle(winch, previousWinch);
        }
        Fd.close(ours);
        Fd.close(theirs);
        if (master >= 0) {
            Fd.close(master);
        }
    }
}
// end::terminal-relay[]

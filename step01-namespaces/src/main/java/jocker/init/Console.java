package jocker.init;

import com.sun.jna.LastErrorException;
import jocker.sys.Fd;
import jocker.sys.LibC;
import jocker.sys.SysException;
import jocker.sys.UnixSocket;

// tag::console[]
/**
 * A terminal for the container's process (process.terminal), made as runc
 * makes it: inside the container, from the container's own devpts (its
 * /dev/ptmx), so the terminal's name means something there (`tty` prints
 * /dev/pts/0). The master end goes to the engine over the console socket;
 * the slave end becomes the process's controlling terminal and its stdin,
 * stdout and stderr.
 */
final class Console {
    private Console() {}

    // ioctl requests (asm-generic/ioctls.h)
    private static final long TIOCGPTN = 0x80045430L;   // the pty's number
    private static final long TIOCSPTLCK = 0x40045431L; // lock or unlock the slave
    private static final long TIOCSCTTY = 0x540EL;      // make it the controlling terminal
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0400;

    static void setUp(int consoleSocket) {
        int master;
        try {
            master = LibC.open("/dev/ptmx", O_RDWR | O_NOCTTY | Fd.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw SysException.of(e, "open /dev/ptmx (does the spec mount a devpts on /dev/pts?)");
        }
        try {
            int[] number = new int[1];
            LibC.ioctl(master, TIOCSPTLCK, new int[] {0});
            LibC.ioctl(master, TIOCGPTN, number);
            String slavePath = "/dev/pts/" + number[0];
            int slave = LibC.open(slavePath, O_RDWR | O_NOCTTY | Fd.O_CLOEXEC, 0);
            UnixSocket.sendFd(consoleSocket, master, slavePath);
            // the init is a session leader (setsid): the first terminal it claims is its own
            LibC.ioctl(slave, TIOCSCTTY, 0L);
            for (int stdio = 0; stdio <= 2; stdio++) {
                LibC.dup2(slave, stdio);
            }
            Fd.close(slave);
        } catch (LastErrorException e) {
            throw SysException.of(e, "set up the container's terminal");
        } finally {
            Fd.close(master);        // the engine has its own copy now
            Fd.close(consoleSocket);
        }
    }
}
// end::console[]

package jocker.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * JNA direct-mapped bindings to the C library. Raw calls only: callers wrap
 * them and turn a {@link LastErrorException} into a {@link SysException} that
 * says what was being done to what.
 */
public final class LibC {
    static {
        // "libc.so.6" by exact name: asking for "c" makes JNA search the library
        // path, and on Linux that search starts by running `ldconfig -p`.
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {}

    // --- system call numbers for calls glibc has no wrapper for (x86_64, asm/unistd_64.h)
    public static final long SYS_PIVOT_ROOT = 155;
    public static final long SYS_OPENAT2 = 437;
    public static final long SYS_BPF = 321;
    public static final long SYS_PIDFD_SEND_SIGNAL = 424;
    public static final long SYS_PIDFD_OPEN = 434;
    public static final long SYS_MOUNT_SETATTR = 442;

    // --- processes and namespaces
    public static native int getpid();
    public static native int getppid();
    public static native int kill(int pid, int signal) throws LastErrorException;
    public static native int setsid() throws LastErrorException;
    public static native int unshare(int flags) throws LastErrorException;
    public static native int setns(int fd, int nstype) throws LastErrorException;
    public static native int sethostname(byte[] name, long length) throws LastErrorException;
    public static native int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;
    public static native int execve(String path, Pointer argv, Pointer envp) throws LastErrorException;
    public static native int waitpid(int pid, int[] status, int options) throws LastErrorException;
    /** Ends the process now: no atexit handlers, no JVM shutdown. */
    public static native void _exit(int status);

    // --- posix_spawn(3): these return an error number instead of setting errno
    public static native int posix_spawn(int[] pid, String path, Pointer fileActions, Pointer attr,
                                         Pointer argv, Pointer envp);
    public static native int posix_spawn_file_actions_init(Pointer fileActions);
    public static native int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);
    public static native int posix_spawn_file_actions_addclose(Pointer fileActions, int fd);
    public static native int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, String path, int flags, int mode);
    public static native int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);
    public static native int posix_spawn_file_actions_destroy(Pointer fileActions);
    public static native int posix_spawnattr_init(Pointer attr);
    public static native int posix_spawnattr_setflags(Pointer attr, short flags);
    public static native int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);
    public static native int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);
    public static native int posix_spawnattr_destroy(Pointer attr);
    public static native int sigemptyset(Pointer set);
    public static native int sigfillset(Pointer set);

    // --- credentials, capabilities and limits
    public static native int setgroups(long size, int[] groups) throws LastErrorException;
    public static native int setresuid(int ruid, int euid, int suid) throws LastErrorException;
    public static native int setresgid(int rgid, int egid, int sgid) throws LastErrorException;
    /** header: {version, pid}; data: two {effective, permitted, inheritable} triples (low and high 32 bits). */
    public static native int capset(int[] header, int[] data) throws LastErrorException;
    public static native int capget(int[] header, int[] data) throws LastErrorException;
    /** limit: {soft, hard}. */
    public static native int setrlimit(int resource, long[] limit) throws LastErrorException;
    public static native int getrlimit(int resource, long[] limit) throws LastErrorException;
    public static native int umask(int mask);

    // --- files and mounts
    public static native int open(String path, int flags, int mode) throws LastErrorException;
    public static native int openat(int dirfd, String path, int flags, int mode) throws LastErrorException;
    public static native int mkfifo(String path, int mode) throws LastErrorException;
    public static native int chown(String path, int uid, int gid) throws LastErrorException;
    public static native long read(int fd, byte[] buf, long count) throws LastErrorException;
    public static native long write(int fd, byte[] buf, long count) throws LastErrorException;
    /** fds: {read end, write end} */
    public static native int pipe2(int[] fds, int flags) throws LastErrorException;
    public static native int close(int fd) throws LastErrorException;
    public static native int isatty(int fd);
    /** fds: struct pollfd {int fd; short events; short revents} as {fd, events | revents << 16}. */
    public static native int poll(int[] fds, long count, int timeoutMillis) throws LastErrorException;
    public static native int close_range(int first, int last, int flags) throws LastErrorException;
    /** fcntl(2) with an integer argument (F_SETFD ...). */
    public static native int fcntl(int fd, int cmd, long arg) throws LastErrorException;
    public static native int chdir(String path) throws LastErrorException;
    public static native int fchdir(int fd) throws LastErrorException;
    public static native int chroot(String path) throws LastErrorException;
    public static native int mkdirat(int dirfd, String path, int mode) throws LastErrorException;
    public static native int mknodat(int dirfd, String path, int mode, long device) throws LastErrorException;
    public static native int fchownat(int dirfd, String path, int uid, int gid, int flags) throws LastErrorException;
    public static native int unlinkat(int dirfd, String path, int flags) throws LastErrorException;
    public static native long readlinkat(int dirfd, String path, byte[] buf, long size) throws LastErrorException;
    public static native int symlinkat(String target, int dirfd, String linkPath) throws LastErrorException;
    public static native int mount(String source, String target, String fsType, long flags, String data) throws LastErrorException;
    public static native int umount2(String target, int flags) throws LastErrorException;
    /** buf: struct statfs as 15 longs; f_type is buf[0], f_flags buf[10]. */
    public static native int statfs(String path, long[] buf) throws LastErrorException;
    public static native int fstatfs(int fd, long[] buf) throws LastErrorException;

    /** pivot_root(2), which glibc does not wrap. */
    public static native long syscall(long number, String newRoot, String putOld) throws LastErrorException;
    /** openat2(2), which glibc does not wrap; how is struct open_how {flags, mode, resolve}. */
    public static native long syscall(long number, int dirfd, String path, long[] how, long size) throws LastErrorException;
    /** mount_setattr(2), which glibc does not wrap; attr is struct mount_attr {attr_set, attr_clr, propagation, userns_fd}. */
    public static native long syscall(long number, int dirfd, String path, int flags, long[] attr, long size)
            throws LastErrorException;
    /** bpf(2), which glibc does not wrap; attr is union bpf_attr, filled for the command. */
    public static native long syscall(long number, int cmd, Pointer attr, int size) throws LastErrorException;

    /** pidfd_open(2): (number, pid, flags). */
    public static native long syscall(long number, int pid, int flags) throws LastErrorException;
    /** pidfd_send_signal(2): (number, pidfd, sig, siginfo or null, flags). */
    public static native long syscall(long number, int pidfd, int sig, Pointer info, int flags) throws LastErrorException;

    // --- sockets and terminals
    public static native int socket(int domain, int type, int protocol) throws LastErrorException;
    /** addr: struct sockaddr_un (family, then the path). */
    public static native int connect(int fd, byte[] addr, int addrLength) throws LastErrorException;
    /** msg: struct msghdr. */
    public static native long sendmsg(int fd, Pointer msg, int flags) throws LastErrorException;
    public static native long recvmsg(int fd, Pointer msg, int flags) throws LastErrorException;
    /** sv: the two connected ends. */
    public static native int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;
    public static native int shutdown(int fd, int how) throws LastErrorException;
    /** termios: struct termios (60 bytes on Linux; give 64). */
    public static native int tcgetattr(int fd, byte[] termios) throws LastErrorException;
    public static native int tcsetattr(int fd, int optionalActions, byte[] termios) throws LastErrorException;
    public static native void cfmakeraw(byte[] termios);
    /** ioctl(2) with an int* argument (TIOCGPTN, TIOCSPTLCK). */
    public static native int ioctl(int fd, long request, int[] arg) throws LastErrorException;
    /** ioctl(2) with an integer argument (TIOCSCTTY). */
    public static native int ioctl(int fd, long request, long arg) throws LastErrorException;
    public static native int dup2(int oldFd, int newFd) throws LastErrorException;

    public static native String strerror(int errno);
}

package jocker.cgroups;

import com.sun.jna.LastErrorException;
import jocker.sys.Fd;
import jocker.sys.LibC;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading and writing cgroup files. A cgroup file is an interface to the
 * kernel, not data: one write(2) of the whole value, whose errno is the
 * answer (EINVAL: bad value, EBUSY: not now, ENOSPC: cpuset empty ...).
 * Writes go through open/write directly so the error names that errno.
 */
public final class CgroupFiles {
    private CgroupFiles() {}

    public static void write(Path dir, String file, String value) {
        Path path = dir.resolve(file);
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        int fd;
        try {
            fd = LibC.open(path.toString(), Fd.O_WRONLY | Fd.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new CgroupException("cannot open " + path + ": " + LibC.strerror(e.getErrorCode()));
        }
        try {
            LibC.write(fd, bytes, bytes.length);
        } catch (LastErrorException e) {
            throw new CgroupException("cannot write \"" + value + "\" to " + path + ": " + LibC.strerror(e.getErrorCode()));
        } finally {
            Fd.close(fd);
        }
    }

    public static String read(Path dir, String file) {
        Path path = dir.resolve(file);
        try {
            return Files.readString(path, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new CgroupException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The file's number, or null when the file does not exist (a kernel without it). */
    public static Long readLongIfPresent(Path dir, String file) {
        if (!Files.exists(dir.resolve(file))) {
            return null;
        }
        String value = read(dir, file);
        return value.equals("max") ? -1L : Long.parseLong(value);
    }

    /** The value of "key N" in a flat-keyed file (memory.events, memory.oom_control, cpu.stat). */
    public static Long readKey(Path dir, String file, String key) {
        if (!Files.exists(dir.resolve(file))) {
            return null;
        }
        for (String line : read(dir, file).split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2 && kv[0].equals(key)) {
                return Long.parseLong(kv[1]);
            }
        }
        return null;
    }

    /** The pids in cgroup.procs. */
    public static List<Long> procs(Path dir) {
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.trim()));
                }
            }
        } catch (NoSuchFileException gone) {
            return pids;
        } catch (IOException e) {
            // rmdir of the cgroup between our open and read (its last process exited and the
            // container's cleanup removed it): the kernel answers ENODEV. No cgroup, no processes.
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            throw new CgroupException("cannot read " + dir.resolve("cgroup.procs") + ": " + e.getMessage(), e);
        }
        return pids;
    }

    /** The cgroups directly below parent (none when parent does not exist). */
    public static List<Path> children(Path parent) {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(parent)) {
            try (java.util.stream.Stream<Path> dirs = Files.list(parent)) {
                dirs.filter(Files::isDirectory).sorted().forEach(found::add);
            } catch (IOException e) {
                throw new CgroupException("cannot list " + parent + ": " + e.getMessage(), e);
            }
        }
        return found;
    }

    /** mkdir, tolerating one that exists. */
    public static boolean mkdir(Path dir) {
        try {
            Files.createDirectory(dir);
            return true;
        } catch (java.nio.file.FileAlreadyExistsException exists) {
            return false;
        } catch (IOException e) {
            throw new CgroupException("cannot create cgroup " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * rmdir of a cgroup. Only an empty cgroup can go; a process that has just
     * exited may still be leaving it (EBUSY), so this retries for a moment,
     * then names the processes still inside.
     */
    public static void rmdir(Path dir) {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                List<Long> left = procs(dir);
                if (attempt >= 50) {
                    throw new CgroupException("cannot remove cgroup " + dir + (left.isEmpty() ? ": " + e.getMessage()
                            : ": processes " + left + " are still in it"), e);
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new CgroupException("interrupted while removing " + dir, ie);
                }
            }
        }
    }

}

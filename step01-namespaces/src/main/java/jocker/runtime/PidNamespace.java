package jocker.runtime;

import jocker.namespaces.Namespace;
import jocker.namespaces.UserNamespace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The processes of a pid namespace, seen from the host: those whose
 * /proc/PID/ns/pid names the same namespace as the container's init.
 * (A cgroup knows its processes directly; this is how step 1, which has
 * none, finds them.)
 */
final class PidNamespace {
    private PidNamespace() {}

    static List<Long> members(int initPid) {
        String ns = namespaceOf(Path.of("/proc", Integer.toString(initPid)));
        List<Long> pids = new ArrayList<>();
        if (ns == null) {
            return pids;
        }
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && ns.equals(namespaceOf(dir))) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            throw new ContainerException("cannot list /proc: " + e.getMessage(), e);
        }
        pids.sort(null);
        return pids;
    }

    /**
     * The namespaces of a running process that are not this process's own:
     * the ones {@code exec} joins (all but mount, which the new process
     * enters itself, see EnterMounts).
     */
    static List<SpecConverter.Join> joinsOf(int pid) {
        List<SpecConverter.Join> joins = new ArrayList<>();
        for (Namespace ns : List.of(Namespace.IPC, Namespace.UTS, Namespace.NETWORK, Namespace.PID, Namespace.CGROUP)) {
            Path theirs = Path.of("/proc", Integer.toString(pid), "ns", ns.procName());
            Path ours = Path.of("/proc/self/ns", ns.procName());
            try {
                if (!Files.readSymbolicLink(theirs).equals(Files.readSymbolicLink(ours))) {
                    joins.add(new SpecConverter.Join(ns, theirs.toString()));
                }
            } catch (IOException e) {
                throw new ContainerException("cannot read " + theirs + " (has the container stopped?)", e);
            }
        }
        return joins;
    }

    /** The user namespace of a running process, to join, or null when it is this process's own. */
    static UserNamespace userOf(int pid) {
        Path theirs = Path.of("/proc", Integer.toString(pid), "ns", Namespace.USER.procName());
        try {
            return Files.readSymbolicLink(theirs).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/user")))
                    ? null : UserNamespace.join(theirs.toString());
        } catch (IOException e) {
            throw new ContainerException("cannot read " + theirs + " (has the container stopped?)", e);
        }
    }

    /** "pid:[4026532...]", or null for a process that is gone. */
    private static String namespaceOf(Path procDir) {
        try {
            return Files.readSymbolicLink(procDir.resolve("ns/pid")).toString();
        } catch (IOException gone) {
            return null;
        }
    }
}

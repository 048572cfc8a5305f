package jocker.cgroups.v1;

import jocker.cgroups.Cgroup;
import jocker.cgroups.CgroupDriver;
import jocker.cgroups.CgroupException;
import jocker.cgroups.CgroupFiles;
import jocker.cgroups.Limits;
import jocker.cgroups.Resources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * cgroup v1: each controller is a separate tree (a "hierarchy"), mounted on
 * its own directory under /sys/fs/cgroup, and a container's cgroup is a
 * directory JOCKER/ID in each of them.
 */
public final class V1Driver implements CgroupDriver {
    /** The controllers jocker uses; a host may lack some. */
    static final List<String> CONTROLLERS = List.of("memory", "cpu", "cpuacct", "cpuset", "pids", "freezer", "devices");

    private final Map<String, Hierarchy> byController;

    V1Driver(Map<String, Hierarchy> byController) {
        this.byController = Map.copyOf(byController);
    }

    /** The v1 hierarchies mounted on this host, from /proc/self/mountinfo. */
    public static V1Driver fromMountinfo() {
        try {
            return new V1Driver(parseMountinfo(Files.readAllLines(Path.of("/proc/self/mountinfo"))));
        } catch (IOException e) {
            throw new CgroupException("cannot read /proc/self/mountinfo: " + e.getMessage(), e);
        }
    }

    static Map<String, Hierarchy> parseMountinfo(List<String> lines) {
        Map<String, Hierarchy> result = new LinkedHashMap<>();
        for (String line : lines) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] left = line.substring(0, dash).split(" ");
            String[] right = line.substring(dash + 3).split(" ");
            if (left.length < 5 || right.length < 3 || !right[0].equals("cgroup")) {
                continue;
            }
            Set<String> controllers = new LinkedHashSet<>(List.of(right[2].split(",")));
            controllers.retainAll(CONTROLLERS);
            if (controllers.isEmpty()) {
                continue; // name=systemd and other named hierarchies
            }
            Hierarchy h = new Hierarchy(Path.of(left[4]), controllers);
            for (String c : controllers) {
                result.putIfAbsent(c, h);
            }
        }
        return result;
    }

    @Override
    public String describe() {
        return "cgroup v1 (" + String.join(", ", new TreeSet<>(byController.keySet())) + ")";
    }

    boolean has(String controller) {
        return byController.containsKey(controller);
    }

    Hierarchy hierarchy(String controller) {
        return byController.get(controller);
    }

    /** Each hierarchy once, even when it carries several controllers. */
    List<Hierarchy> hierarchies() {
        return new ArrayList<>(new LinkedHashSet<>(byController.values()));
    }

    @Override
    public void validate(Resources r) {
        Limits.validate(r);
        if (r.memory() != null) {
            need("memory", "a memory limit");
            Long swap = r.memory().swap();
            if (swap != null && swap != 0 && !Files.exists(hierarchy("memory").mountPoint().resolve("memory.memsw.limit_in_bytes"))) {
                throw new CgroupException("--memory-swap: this kernel does not account swap"
                        + " (no memory.memsw.limit_in_bytes; boot with swapaccount=1)");
            }
        }
        if (r.cpu() != null && (r.cpu().shares() != null || r.cpu().quota() != null)) {
            need("cpu", "a CPU limit");
        }
        if (r.cpu() != null && (r.cpu().cpus() != null || r.cpu().mems() != null)) {
            need("cpuset", "a cpuset");
        }
        if (r.pids() != null) {
            need("pids", "a pids limit");
        }
    }

    private void need(String controller, String forWhat) {
        if (!has(controller)) {
            throw new CgroupException(forWhat + " needs the cgroup v1 " + controller
                    + " controller, which this host does not mount");
        }
    }

    @Override
    public Cgroup createAt(String path, Resources resources) {
        validate(resources);
        V1Cgroup cgroup = new V1Cgroup(this, path);
        return CgroupDriver.createOrRemove(cgroup, () -> cgroup.create(resources));
    }

    @Override
    public List<Path> roots() {
        List<Path> roots = new ArrayList<>();
        for (Hierarchy h : hierarchies()) {
            if (!roots.contains(h.mountPoint())) {
                roots.add(h.mountPoint());
            }
        }
        return roots;
    }

    @Override
    public Cgroup openAt(String path) {
        return new V1Cgroup(this, path);
    }

    @Override
    public List<Path> leftovers() {
        List<Path> found = new ArrayList<>();
        for (Hierarchy h : hierarchies()) {
            found.addAll(CgroupFiles.children(h.cgroup(PARENT)));
        }
        return found;
    }

    /** Makes the cgroups above path in a hierarchy, each level at a time (JOCKER, on first use). */
    void parents(Hierarchy h, String path) {
        Path parent = h.cgroup(path).getParent();
        if (parent.equals(h.mountPoint()) || !parent.startsWith(h.mountPoint())) {
            return;
        }
        parents(h, h.mountPoint().relativize(parent).toString());
        CgroupFiles.mkdir(parent);
        if (h.controllers().contains("cpuset")) {
            Cpuset.inheritFromParent(parent); // also when another run made it a moment ago
        }
    }
}

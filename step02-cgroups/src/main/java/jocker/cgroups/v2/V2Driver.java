package jocker.cgroups.v2;

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
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * cgroup v2: one tree for all controllers. A controller is usable in a
 * cgroup only if its parent lists it in cgroup.subtree_control, so the
 * JOCKER parent enables, for its children, the ones the root offers.
 */
public final class V2Driver implements CgroupDriver {
    /** The controllers jocker uses. */
    static final List<String> CONTROLLERS = List.of("cpuset", "cpu", "memory", "pids");

    private final Path root;

    /** @param root where the cgroup2 hierarchy is mounted (/sys/fs/cgroup; /sys/fs/cgroup/unified on a hybrid host) */
    public V2Driver(Path root) {
        this.root = root;
    }

    @Override
    public String describe() {
        Set<String> available = available();
        return "cgroup v2 at " + root + " (controllers: " + (available.isEmpty() ? "none" : String.join(", ", available)) + ")";
    }

    /** The controllers the root offers (cgroup.controllers), among those jocker uses. */
    Set<String> available() {
        Set<String> offered = new TreeSet<>(List.of(CgroupFiles.read(root, "cgroup.controllers").split("\\s+")));
        offered.retainAll(CONTROLLERS);
        return offered;
    }

    @Override
    public void validate(Resources r) {
        Limits.validate(r);
        Set<String> available = available();
        if (r.memory() != null) {
            need(available, "memory", "a memory limit");
        }
        if (r.cpu() != null && (r.cpu().shares() != null || r.cpu().quota() != null)) {
            need(available, "cpu", "a CPU limit");
        }
        if (r.cpu() != null && (r.cpu().cpus() != null || r.cpu().mems() != null)) {
            need(available, "cpuset", "a cpuset");
        }
        if (r.pids() != null) {
            need(available, "pids", "a pids limit");
        }
    }

    private void need(Set<String> available, String controller, String forWhat) {
        if (!available.contains(controller)) {
            throw new CgroupException(forWhat + " needs the cgroup v2 " + controller + " controller, which "
                    + root + " does not offer (cgroup.controllers: " + String.join(" ", available) + ")");
        }
    }

    @Override
    public Cgroup createAt(String path, Resources resources) {
        validate(resources);
        parents(path);
        V2Cgroup cgroup = new V2Cgroup(root.resolve(path), path);
        return CgroupDriver.createOrRemove(cgroup, () -> cgroup.create(resources));
    }

    @Override
    public List<Path> roots() {
        return List.of(root);
    }

    // tag::v2-parent[]
    /**
     * The cgroups above path (JOCKER, for jocker's own), each with the
     * controllers enabled for the cgroups below it: on v2 a controller
     * reaches a cgroup only if every cgroup above lists it in subtree_control.
     */
    void parents(String path) {
        StringBuilder enable = new StringBuilder();
        for (String c : available()) {
            enable.append(enable.length() == 0 ? "" : " ").append('+').append(c);
        }
        Path dir = root;
        for (Path level : Path.of(path).getParent() == null ? List.<Path>of() : Path.of(path).getParent()) {
            if (enable.length() > 0) {
                enableIfMissing(dir, enable.toString());
            }
            dir = dir.resolve(level.toString());
            CgroupFiles.mkdir(dir);
        }
        if (enable.length() > 0) {
            enableIfMissing(dir, enable.toString());
        }
    }

    private static void enableIfMissing(Path dir, String enable) {
        Set<String> enabled = new TreeSet<>(List.of(CgroupFiles.read(dir, "cgroup.subtree_control").split("\\s+")));
        for (String c : enable.split(" ")) {
            if (!enabled.contains(c.substring(1))) {
                CgroupFiles.write(dir, "cgroup.subtree_control", enable);
                return;
            }
        }
    }
    // end::v2-parent[]

    @Override
    public Cgroup openAt(String path) {
        return new V2Cgroup(root.resolve(path), path);
    }

    @Override
    public List<Path> leftovers() {
        return CgroupFiles.children(root.resolve(PARENT));
    }
}

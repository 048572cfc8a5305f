package jocker.cgroups;

import jocker.runtime.Container;
import jocker.runtime.Feature;
import jocker.spec.Spec;
import jocker.spec.SpecException;

import java.util.List;
import java.util.Set;

/**
 * What step 2 adds to a container's run: a cgroup with the spec's limits.
 *
 * <pre>
 *   prepare   create JOCKER/ID, write the limits     (nothing runs yet)
 *   started   move the init into it                  (the init waits for its config:
 *                                                     no container code has run)
 *   cleanup   read the accounting and the OOM count, kill what is left, remove it
 * </pre>
 *
 * create and delete may be separate commands: the cgroup is found again by
 * the container's id, so nothing of it needs to stay in memory.
 */
public final class CgroupFeature implements Feature {
    private final CgroupDriver driver;
    private Cgroup cgroup;
    private CgroupStats stats;
    private boolean oomKilled;

    public CgroupFeature(CgroupDriver driver) {
        this.driver = driver;
    }

    /** A cgroup is where linux.resources and linux.cgroupsPath are applied. */
    @Override
    public Set<String> linuxSections() {
        return Set.of(Resources.SECTION, "cgroupsPath");
    }

    @Override
    public void prepare(Container container) {
        Resources resources = Resources.of(container.spec());
        resources = resources.withDevices(DeviceRules.effective(resources.devices(), container.spec()));
        cgroup = driver.createAt(path(container), resources);
    }

    // tag::started[]
    /**
     * The init is running, in the container's namespaces, but blocked on its
     * config pipe: moving it now puts every process the container will ever
     * have inside the cgroup (children inherit their parent's cgroup), and
     * no instruction of the container's program has run. The init creates
     * its cgroup namespace after this, so that namespace is rooted here.
     */
    @Override
    public void started(Container container, long pid) {
        cgroup(container).add(pid);
    }
    // end::started[]

    @Override
    public void cleanup(Container container) {
        Cgroup cgroup = cgroup(container);
        if (!cgroup.exists()) {
            return; // never made (created by step 1's runtime), or removed already
        }
        stats = cgroup.stats();
        oomKilled = cgroup.oomKilled();
        if (!cgroup.pids().isEmpty()) {
            cgroup.killAll();
        }
        cgroup.delete();
        driver.removeEmptyParents(cgroup.path());
    }

    // tag::cgroups-path[]
    /**
     * Where the container's cgroup goes: the spec's linux.cgroupsPath if it
     * has one (dockerd asks for /docker/ID), else JOCKER/ID. An absolute path
     * is taken from the hierarchy's root, as the OCI spec says; a relative
     * one from JOCKER, the place jocker chose for its containers.
     */
    static String path(Container container) {
        Object asked = container.spec().linux() == null ? null
                : container.spec().linux().extensions().get("cgroupsPath");
        if (asked == null || asked.toString().isEmpty()) {
            return CgroupDriver.PARENT + "/" + container.id();
        }
        String p = asked.toString();
        if (p.contains(":")) {
            throw new SpecException("linux.cgroupsPath \"" + p + "\" is systemd's slice:prefix:name form;"
                    + " jocker writes cgroupfs itself and takes a path");
        }
        for (String part : p.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new SpecException("linux.cgroupsPath \"" + p + "\" must not contain . or ..");
            }
        }
        String relative = p.replaceAll("^/+", "").replaceAll("/+$", "");
        if (relative.isEmpty()) {
            throw new SpecException("linux.cgroupsPath \"" + p + "\" is the root cgroup: give the container its own");
        }
        return p.startsWith("/") ? relative : CgroupDriver.PARENT + "/" + relative;
    }
    // end::cgroups-path[]

    /** The cgroup this object made, once prepared (null before). */
    public Cgroup cgroup() {
        return cgroup;
    }

    /** The container's cgroup: the one this object made, or the one found by its id. */
    public Cgroup cgroup(Container container) {
        return cgroup != null ? cgroup : driver.openAt(path(container));
    }

    @Override
    public List<Long> processes(Container container) {
        return cgroup(container).pids();
    }

    /** runc update: the new linux.resources, validated as at create, written to the container's cgroup. */
    @Override
    public boolean update(Container container, Object resources) {
        Spec.Linux linux = container.spec().linux() == null ? new Spec.Linux(null, null, null, null) : container.spec().linux();
        Resources r = Resources.of(container.spec().withLinux(linux.withExtension(Resources.SECTION, resources)));
        driver.validate(r);
        cgroup(container).update(r);
        return true;
    }

    @Override
    public boolean freeze(Container container, boolean frozen) {
        if (frozen) {
            cgroup(container).freeze();
        } else {
            cgroup(container).thaw();
        }
        return true;
    }

    /** What the container used, read when it ended; null before. */
    public CgroupStats stats() {
        return stats;
    }

    /** Whether the OOM killer ended a process of the container for its memory limit. */
    public boolean oomKilled() {
        return oomKilled;
    }
}

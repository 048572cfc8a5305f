package jocker.volumes.cli;

import jocker.cli.RunCommand;
import jocker.cli.RunPart;
import jocker.image.cli.ImageRunPart;
import jocker.image.cli.ImageVolumes;
import jocker.layers.TreeCopy;
import jocker.mounts.RootfsSetup;
import jocker.runtime.Container;
import jocker.runtime.Feature;
import jocker.spec.Spec;
import jocker.storage.ContainerRecord;
import jocker.storage.ContainerStore;
import jocker.storage.cli.StorageRunPart;
import jocker.sys.JockerException;
import jocker.volumes.HostMounts;
import jocker.volumes.MountParser;
import jocker.volumes.MountRequest;
import jocker.volumes.VolumeMounts;
import jocker.volumes.VolumeStore;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * step 5's part of run: -v, --mount, --tmpfs and --volumes-from, and the
 * image's VOLUMEs as anonymous volumes in the store. Every mount is made
 * by the container's init, inside its own mount namespace: the host never
 * sees one, so none can be left behind on it.
 */
public class VolumeRunPart implements RunPart, ImageVolumes {
    @Option(names = {"-v", "--volume"}, paramLabel = "[SRC:]DST[:MODE]",
            description = "A volume (NAME:/path, or /path for an anonymous one) or a host directory (/host:/path); MODE: ro, rw, nocopy, a propagation. Repeatable.")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--mount", paramLabel = "type=...,source=...,target=...",
            description = "A mount, as docker's --mount: type=volume|bind|tmpfs, source, target, readonly, volume-nocopy, bind-propagation, tmpfs-size, tmpfs-mode ... Repeatable.")
    List<String> mounts = new ArrayList<>();

    @Option(names = "--tmpfs", paramLabel = "/path[:OPTIONS]", description = "A tmpfs at /path (noexec,nosuid,nodev, then OPTIONS such as size=64k). Repeatable.")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = "--volumes-from", paramLabel = "CONTAINER[:ro|rw]", description = "The volumes and bind mounts of a kept container. Repeatable.")
    List<String> volumesFrom = new ArrayList<>();

    private Set<String> imageVolumePaths = Set.of();
    private Path containerDir;
    private boolean autoRemove;
    private final List<String> anonymous = new ArrayList<>();

    /** The image's VOLUMEs are this part's to make (in customize, with the rest); step 4's directories are not made. */
    @Override
    public List<Spec.Mount> imageVolumes(RunCommand.Request run, Set<String> paths, Path rootfsDir, Path dir) {
        imageVolumePaths = paths;
        return List.of();
    }

    // tag::customize[]
    /**
     * Every mount this run asks for, in docker's order of precedence: the
     * mounts of --volumes-from containers, replaced by -v, --mount and --tmpfs
     * at the same place (two of those at one place are an error), then the
     * image's VOLUMEs where nothing else is mounted. Mounts go on in order
     * of depth, so /data is mounted before /data/logs.
     */
    @Override
    public Spec customize(RunCommand.Request run, Spec spec) {
        StorageRunPart storage = run.part(StorageRunPart.class);
        autoRemove = storage.autoRemove();
        Map<String, MountRequest> byTarget = new LinkedHashMap<>();
        try {
            for (String from : volumesFrom) {
                for (MountRequest m : fromContainer(storage.dataRoot(), MountParser.parseVolumesFrom(from))) {
                    byTarget.put(m.target(), m);
                }
            }
            Set<String> explicit = new LinkedHashSet<>();
            List<MountRequest> asked = new ArrayList<>();
            volumes.forEach(v -> asked.add(MountParser.parseVolume(v)));
            mounts.forEach(m -> asked.add(MountParser.parseMount(m)));
            tmpfs.forEach(t -> asked.add(MountParser.parseTmpfs(t)));
            for (MountRequest m : asked) {
                if (!explicit.add(m.target())) {
                    throw new JockerException("Duplicate mount point: " + m.target());
                }
                byTarget.put(m.target(), m);
            }
            for (String path : imageVolumePaths) {
                if (!path.startsWith("/")) {
                    throw new JockerException("image volume \"" + path + "\" is not an absolute path");
                }
                byTarget.putIfAbsent(MountParser.cleanPath(path), MountRequest.volume(null, MountParser.cleanPath(path),
                        false, false));
            }
            if (byTarget.isEmpty()) {
                return spec;
            }
            List<MountRequest> ordered = new ArrayList<>(byTarget.values());
            ordered.sort(Comparator.comparingInt(m -> depth(m.target())));
            return mount(run, spec, storage.dataRoot(), ordered);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
    // end::customize[]

    private static int depth(String path) {
        return (int) path.chars().filter(c -> c == '/').count();
    }

    /** The mounts of a kept container, read-only or writable as asked (else as they were). */
    private static List<MountRequest> fromContainer(Path dataRoot, MountParser.VolumesFrom from) throws IOException {
        ContainerStore containers = new ContainerStore(dataRoot);
        ContainerRecord c = containers.find(from.container());
        List<MountRequest> out = new ArrayList<>();
        for (VolumeMounts.Entry e : VolumeMounts.read(containers.dir(c))) {
            boolean ro = from.readOnly() != null ? from.readOnly() : !e.rw();
            switch (e.type()) {
                case "volume" -> out.add(MountRequest.volume(e.name(), e.destination(), ro, true));
                case "bind" -> out.add(MountRequest.bind(e.source(), e.destination(), ro, e.propagation()));
                default -> { } // a tmpfs is the container's own
            }
        }
        return out;
    }

    /** The spec with the mounts added (replacing a default one at the same place, as /dev/shm); recorded for the store. */
    private Spec mount(RunCommand.Request run, Spec spec, Path dataRoot, List<MountRequest> asked) throws IOException {
        Path dir = dataRoot.resolve("containers").resolve(run.id());
        containerDir = Files.isRegularFile(dir.resolve("container.json")) ? dir : null;
        VolumeStore store = null;
        List<Spec.Mount> made = new ArrayList<>();
        List<VolumeMounts.Entry> record = new ArrayList<>();
        Path rootfs = Path.of(spec.root().path());
        for (MountRequest m : asked) {
            switch (m.type()) {
                case "tmpfs" -> {
                    made.add(new Spec.Mount(m.target(), "tmpfs", "tmpfs", m.tmpfsData()));
                    record.add(new VolumeMounts.Entry("tmpfs", null, "", m.target(), !m.readOnly(), ""));
                }
                case "bind" -> {
                    Path source = Path.of(m.source());
                    if (m.createSource() && !Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectories(source); // as docker's -v does (--mount refuses, see MountParser)
                    }
                    made.add(bind(run, m.source(), m));
                    record.add(new VolumeMounts.Entry("bind", null, m.source(), m.target(), !m.readOnly(), m.propagation()));
                }
                case "volume" -> {
                    if (containerDir == null) {
                        throw new JockerException((m.source() == null ? "an anonymous volume" : "volume " + m.source())
                                + " at " + m.target() + ": a volume needs a container kept in the store (run an IMAGE,"
                                + " or --layer)");
                    }
                    if (store == null) {
                        store = VolumeStore.open(dataRoot);
                    }
                    VolumeStore.Volume v = m.source() == null
                            ? store.create(null, "local", Map.of(), Map.of(), true, run.id())
                            : store.create(m.source(), "local", m.volumeOptions(), m.volumeLabels(), false, null);
                    if (m.source() == null) {
                        anonymous.add(v.name());
                    }
                    made.add(volumeMount(run, store, v, m, rootfs));
                    record.add(new VolumeMounts.Entry("volume", v.name(), store.data(v).toString(), m.target(),
                            !m.readOnly(), ""));
                }
                default -> throw new IllegalStateException(m.type());
            }
        }
        if (containerDir != null) {
            VolumeMounts.write(containerDir, record);
        }
        Set<String> ours = new LinkedHashSet<>();
        made.forEach(mm -> ours.add(mm.destination()));
        List<Spec.Mount> kept = new ArrayList<>();
        for (Spec.Mount d : spec.mounts()) {
            if (!ours.contains(d.destination())) {
                kept.add(d);
            }
        }
        kept.addAll(made);
        return new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), kept,
                withRootPropagation(spec.linux(), asked), spec.annotations(), spec.hooks());
    }

    // tag::propagation[]
    /**
     * A bind mount of shared or slave propagation gets the host's mount
     * events only if its source is on a mount that has them to give (shared,
     * or a slave itself), and only if the container's tree is not made
     * private first: docker's rules set linux.rootfsPropagation to shared or
     * rslave then, and refuse a source whose mount cannot propagate.
     */
    private static Spec.Linux withRootPropagation(Spec.Linux linux, List<MountRequest> asked) throws IOException {
        if (linux == null) {
            linux = new Spec.Linux(null, null, null, null);
        }
        String root = String.valueOf(linux.extensions().getOrDefault("rootfsPropagation", ""));
        for (MountRequest m : asked) {
            if (!m.type().equals("bind") || m.propagation() == null) {
                continue;
            }
            boolean shared = m.propagation().endsWith("shared"), slave = m.propagation().endsWith("slave");
            if (!shared && !slave) {
                continue;
            }
            HostMounts.Mount on = HostMounts.of(Path.of(m.source()));
            if (shared && !on.shared()) {
                throw new JockerException("path " + m.source() + " is mounted on " + on.mountPoint()
                        + " but it is not a shared mount");
            }
            if (slave && !on.shared() && !on.slave()) {
                throw new JockerException("path " + m.source() + " is mounted on " + on.mountPoint()
                        + " but it is not a shared or slave mount");
            }
            if (shared && !root.endsWith("shared")) {
                root = "shared";
            } else if (slave && !root.endsWith("shared") && !root.endsWith("slave")) {
                root = "rslave";
            }
        }
        return root.isEmpty() ? linux : linux.withExtension("rootfsPropagation", root);
    }
    // end::propagation[]

    // tag::copy-up[]
    /**
     * A volume's mount. Docker's rule for its content: a volume that is
     * empty, mounted where the image has a directory, is first filled with
     * the image's files there (owners, modes, times kept), unless nocopy; a
     * volume that holds anything is left as it is. The image path is
     * resolved inside the root (symbolic links cannot lead out of it).
     */
    private Spec.Mount volumeMount(RunCommand.Request run, VolumeStore store, VolumeStore.Volume v, MountRequest m,
                                   Path rootfs) throws IOException {
        if (v.mountsDevice()) {
            return deviceMount(run, v, m);
        }
        Path data = store.data(v);
        if (!m.noCopy() && isEmpty(data)) {
            Path inImage = ImageRunPart.inImage(rootfs, m.target());
            if (inImage != null && Files.isDirectory(inImage, LinkOption.NOFOLLOW_LINKS)) {
                fill(data, inImage);
            }
        }
        return bind(run, data.toString(), m);
    }
    // end::copy-up[]

    /**
     * Copies the image's directory beside the empty _data, then renames it
     * over _data (rename(2) replaces an empty directory): a copy cut short
     * never leaves a half-filled volume that would count as full from then on.
     */
    private static void fill(Path data, Path inImage) throws IOException {
        Path copy = data.resolveSibling(VolumeStore.FILLING + ProcessHandle.current().pid());
        TreeCopy.deleteTree(copy);
        try {
            TreeCopy.copy(inImage, copy, TreeCopy.Mode.PRESERVE);
            Files.move(copy, data, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileSystemException e) {
            if (isEmpty(data)) {
                throw e;
            } // another run filled it first: theirs is the same copy
        } finally {
            TreeCopy.deleteTree(copy);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /**
     * A volume made with -o type=...,device=...,o=...: mounted as mount(8)
     * would mount it, in the container (docker mounts it on the volume's
     * _data on the host at first use; here the host is never touched).
     * o=bind makes it a bind of the device path.
     */
    private Spec.Mount deviceMount(RunCommand.Request run, VolumeStore.Volume v, MountRequest m) {
        List<String> o = new ArrayList<>(List.of(v.options().getOrDefault("o", "").split(",")));
        o.removeIf(String::isEmpty);
        if (o.contains("bind") || o.contains("rbind")) {
            return bind(run, v.options().get("device"), m);
        }
        if (m.readOnly()) {
            o.add("ro");
        }
        return new Spec.Mount(m.target(), v.options().get("type"), v.options().get("device"), o);
    }

    // tag::bind-options[]
    /**
     * A bind mount's options: rbind (the mounts under the source come too),
     * its propagation (rprivate unless asked), and ro made recursive (rro)
     * where the kernel has mount_setattr(2): a plain read-only remount
     * changes the top mount only, the ones below stay writable.
     */
    private static Spec.Mount bind(RunCommand.Request run, String source, MountRequest m) {
        List<String> options = new ArrayList<>();
        options.add(m.recursive() ? "rbind" : "bind");
        options.add(m.propagation() == null ? "rprivate" : m.propagation());
        if (!m.readOnly()) {
            options.add("rw");
        } else if (!m.recursive() || m.recursiveReadOnly().equals("writable")) {
            options.add("ro");
        } else if (RootfsSetup.canMakeReadonlyRecursively()) {
            options.add("rro");
        } else if (m.recursiveReadOnly().equals("readonly")) {
            throw new JockerException("bind-recursive=readonly: this kernel cannot make mounts read-only recursively"
                    + " (mount_setattr(2) needs Linux 5.12)");
        } else {
            options.add("ro");
            run.err().println("WARNING: " + m.target() + " is read-only, the mounts under it stay writable"
                    + " (mount_setattr(2) needs Linux 5.12)");
        }
        return new Spec.Mount(m.target(), "bind", source, options);
    }
    // end::bind-options[]

    // tag::anonymous-life[]
    /**
     * An anonymous volume is made marked as going with its container, so
     * that if the run dies before the container is made, the next command
     * collects it. Once the container is there: a kept container's volumes
     * are unmarked (they stay after rm, as docker's do, until rm -v or
     * prune); a --rm container's go when it ends, named ones stay.
     */
    @Override
    public List<Feature> features(Container container) {
        if (containerDir == null || anonymous.isEmpty()) {
            return List.of();
        }
        Path dataRoot = containerDir.getParent().getParent();
        return List.of(new Feature() {
            @Override
            public void prepare(Container c) {
                if (!autoRemove) {
                    try {
                        VolumeStore store = VolumeStore.open(dataRoot);
                        for (String name : anonymous) {
                            store.keep(name);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }

            @Override
            public void cleanup(Container c) {
                if (autoRemove) {
                    try {
                        VolumeStore.open(dataRoot).removeAnonymous(VolumeMounts.read(containerDir), c.id());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        });
    }
    // end::anonymous-life[]
}

package jocker.image.cli;

import jocker.cli.RunCommand;
import jocker.cli.RunPart;
import jocker.image.ImageReference;
import jocker.image.Images;
import jocker.image.Platform;
import jocker.image.json.ImageConfig;
import jocker.image.registry.Credentials;
import jocker.image.registry.Progress;
import jocker.image.registry.RegistryClient;
import jocker.image.store.ImageStore;
import jocker.layers.LayerStore;
import jocker.layers.TreeCopy;
import jocker.mounts.InRoot;
import jocker.runtime.Container;
import jocker.spec.Spec;
import jocker.spec.SpecBuilder;
import jocker.spec.SpecException;
import jocker.storage.cli.StorageRunPart;
import jocker.sys.Errno;
import jocker.sys.Fd;
import jocker.sys.JockerException;
import jocker.sys.SysException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** step 4's part of run: run IMAGE [COMMAND...], the image's config filling the spec, the flags overriding it as docker's do. */
public class ImageRunPart implements RunPart, ImageVolumes {
    @Option(names = "--entrypoint", paramLabel = "CMD", description = "Override the image's ENTRYPOINT (\"\" clears it).")
    String entrypoint;

    @Option(names = "--pull", paramLabel = "missing|always|never",
            description = "Pull the image before running: if it is missing (default), always, or never.")
    String pull = "missing";

    @Option(names = "--platform", paramLabel = "OS/ARCH", description = "The platform to pull (default: this machine's).")
    String platform;

    @Mixin
    RegistryOptions registry;

    private ImageConfig.ContainerConfig imageConfig;

    /** The image's config once container() found it (EXPOSE for step 6's -P), or null for a run of no image. */
    public ImageConfig.ContainerConfig imageConfig() {
        return imageConfig;
    }

    // tag::run-image[]
    /** Without --rootfs, --layer or --bundle, the first word is an IMAGE: its layers, through step 3's part. */
    @Override
    public Container container(RunCommand.Request run, String id) {
        StorageRunPart storage = run.part(StorageRunPart.class);
        if (storage.hasRoot(run)) {
            return null;
        }
        if (run.command().isEmpty()) {
            throw new SpecException("an IMAGE is required (or --rootfs, --layer, --bundle)");
        }
        String imageName = run.command().remove(0);
        try {
            Images images = Images.open(storage.dataRoot());
            ImageStore.Image image = find(run, images, imageName, storage.dataRoot());
            List<String> layers = new ArrayList<>();
            for (LayerStore.Layer layer : images.layersOf(image)) {
                layers.add(layer.id());
            }
            imageConfig = image.config().config();
            return storage.fromLayers(id, layers, image.id().toString(),
                    (rootfs, containerDir) -> specFromImage(run, id, rootfs, containerDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
    // end::run-image[]

    // tag::pull-missing[]
    /** The image by name; pulled first if it is missing (or always), as docker run does, its progress on stderr. */
    private ImageStore.Image find(RunCommand.Request run, Images images, String name, Path dataRoot) throws IOException {
        if (!List.of("missing", "always", "never").contains(pull)) {
            throw new SpecException("invalid --pull \"" + pull + "\": missing, always or never");
        }
        Platform asked = platform == null ? null : Platform.parse(platform); // checked even if nothing is pulled
        if (!pull.equals("always")) {
            try {
                ImageStore.Image local = images.store().resolve(name);
                if (asked == null || fits(local, asked)) {
                    return warnIfForeign(run, local, asked);
                }
                if (pull.equals("never")) {
                    throw new JockerException("image with reference " + name + " was found but does not match the"
                            + " specified platform: wanted " + asked + ", actual: " + platformOf(local));
                }
            } catch (ImageStore.NoSuchImage e) {
                if (pull.equals("never")) {
                    throw e;
                }
                run.err().println("Unable to find image '" + e.ref().familiar() + "' locally");
            }
        }
        ImageReference ref = ImageReference.parse(name);
        PrintWriter err = run.err();
        new RegistryClient(new Credentials(dataRoot), registry.insecureRegistries(dataRoot))
                .pull(ref, asked == null ? Platform.current() : asked, images, new Progress(err, System.console() != null));
        err.flush();
        return warnIfForeign(run, images.store().resolve(ref.toString()), asked);
    }

    /** Whether the image's config names this platform (one that names none fits any). */
    private static boolean fits(ImageStore.Image image, Platform platform) {
        ImageConfig c = image.config();
        return c.os() == null || c.architecture() == null || platform.matches(c.os(), c.architecture(), c.variant());
    }

    private static String platformOf(ImageStore.Image image) {
        ImageConfig c = image.config();
        return c.os() + "/" + c.architecture() + (c.variant() == null ? "" : "/" + c.variant());
    }

    /** docker's warning for an image of another platform run without --platform: it may well not start. */
    private static ImageStore.Image warnIfForeign(RunCommand.Request run, ImageStore.Image image, Platform asked) {
        Platform host = Platform.current();
        if (asked == null && !fits(image, host)) {
            run.err().println("WARNING: The requested image's platform (" + platformOf(image) + ") does not match the"
                    + " detected host platform (" + host + ") and no specific platform was requested");
            run.err().flush();
        }
        return image;
    }
    // end::pull-missing[]

    // tag::spec-from-image[]
    /** The image's Entrypoint + Cmd, Env, WorkingDir and User first; then the flags, as in step 1. */
    private Spec specFromImage(RunCommand.Request run, String id, Path rootfsDir, Path containerDir) {
        List<String> command = run.command();
        List<String> args = new ArrayList<>();
        if (entrypoint != null) {
            if (!entrypoint.isEmpty()) {
                args.add(entrypoint);
            }
        } else if (imageConfig.entrypoint() != null) {
            args.addAll(imageConfig.entrypoint());
        }
        // a command given replaces CMD; --entrypoint alone resets it, as docker does
        if (!command.isEmpty()) {
            args.addAll(command);
        } else if (entrypoint == null && imageConfig.cmd() != null) {
            args.addAll(imageConfig.cmd());
        }
        if (args.isEmpty()) {
            throw new SpecException("no command specified: the image has no CMD or ENTRYPOINT, and none was given");
        }
        SpecBuilder builder = SpecBuilder.docker(rootfsDir.toString(), args);
        if (imageConfig.env() != null) {
            builder.env(imageConfig.env());
        }
        if (imageConfig.workingDir() != null && !imageConfig.workingDir().isEmpty()) {
            builder.cwd(imageConfig.workingDir());
        }
        String user = imageConfig.user() == null || imageConfig.user().isEmpty() ? "0" : imageConfig.user();
        run.process().applyTo(builder, rootfsDir, id.substring(0, 12), user);
        Set<String> volumePaths = imageConfig.volumes() == null ? Set.of() : new TreeSet<>(imageConfig.volumes().keySet());
        // this part's own volumes(), unless a later step's part makes them (step 5's real volumes)
        List<Spec.Mount> volumes = run.last(ImageVolumes.class).imageVolumes(run, volumePaths, rootfsDir, containerDir);
        Spec spec = builder.build().withMounts(volumes).withAnnotations(annotations());
        return run.customize(spec);
    }
    // end::spec-from-image[]

    // tag::volumes[]
    /**
     * The image's VOLUMEs: each a directory of the container's own, filled
     * with what the image holds there, bind-mounted over it, so the data
     * stays out of the writable layer (and out of commit), as docker's
     * anonymous volumes do. Step 5 gives volumes names and a life of their own.
     */
    @Override
    public List<Spec.Mount> imageVolumes(RunCommand.Request run, Set<String> paths, Path rootfsDir, Path containerDir) {
        List<Spec.Mount> mounts = new ArrayList<>();
        int n = 0;
        for (String path : paths) {
            if (!path.startsWith("/")) {
                throw new SpecException("image volume \"" + path + "\" is not an absolute path");
            }
            Path volume = containerDir.resolve("volumes").resolve(Integer.toString(n++));
            try {
                Files.createDirectories(volume.getParent());
                Path inImage = inImage(rootfsDir, path);
                if (inImage != null && Files.isDirectory(inImage, LinkOption.NOFOLLOW_LINKS)) {
                    TreeCopy.copy(inImage, volume, TreeCopy.Mode.PRESERVE);
                } else {
                    Files.createDirectories(volume);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            mounts.add(new Spec.Mount(path, "bind", volume.toString(), List.of("rbind", "rprivate")));
        }
        return mounts;
    }

    /** Where path is in the root, symbolic links resolved inside it (openat2 RESOLVE_IN_ROOT); null if absent. */
    public static Path inImage(Path rootfsDir, String path) throws IOException {
        int rootFd = InRoot.openRoot(rootfsDir.toString());
        try {
            int fd = InRoot.open(rootFd, path, Fd.O_PATH, 0);
            try {
                return Path.of(InRoot.procPath(fd)).toRealPath();
            } finally {
                InRoot.closeQuietly(fd);
            }
        } catch (SysException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR) {
                return null; // not in the image: the volume starts empty
            }
            throw e;
        } finally {
            InRoot.closeQuietly(rootFd);
        }
    }
    // end::volumes[]

    /**
     * What the runtime spec has no field for, as annotations, by the OCI
     * image spec's conversion rules: Labels as they are, the exposed ports
     * and the stop signal under org.opencontainers.image.*. Step 6 publishes
     * the ports; step 8's stop sends the signal.
     */
    private Map<String, String> annotations() {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (imageConfig.labels() != null) {
            annotations.putAll(imageConfig.labels());
        }
        if (imageConfig.exposedPorts() != null && !imageConfig.exposedPorts().isEmpty()) {
            annotations.put("org.opencontainers.image.exposedPorts", String.join(",", imageConfig.exposedPorts().keySet()));
        }
        if (imageConfig.stopSignal() != null && !imageConfig.stopSignal().isEmpty()) {
            annotations.put("org.opencontainers.image.stopSignal", imageConfig.stopSignal());
        }
        return annotations;
    }
}

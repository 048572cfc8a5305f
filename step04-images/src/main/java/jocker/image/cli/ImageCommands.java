package jocker.image.cli;

import jocker.image.Committer;
import jocker.image.ImageReference;
import jocker.image.Images;
import jocker.image.Platform;
import jocker.image.archive.Archives;
import jocker.image.json.ImageConfig;
import jocker.image.json.Json;
import jocker.image.registry.Credentials;
import jocker.image.registry.Progress;
import jocker.image.registry.RegistryClient;
import jocker.image.store.ImageStore;
import jocker.storage.ContainerRecord;
import jocker.storage.Storage;
import jocker.storage.cli.StorageCommands;
import jocker.sys.JockerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** step 4's image commands, each thin: parse, call the library, print. */
public final class ImageCommands {
    private ImageCommands() {}

    /** step 3's storage command (--root, --help, output), with the image store. */
    abstract static class ImageCommand extends StorageCommands.StorageCommand {
        Images images() throws IOException {
            return Images.open(root.dataRoot());
        }

        Progress progress() {
            return new Progress(out(), System.console() != null);
        }
    }

    @Command(name = "pull", description = "Download an image from a registry.")
    public static class Pull extends ImageCommand {
        @Mixin
        RegistryOptions registry;

        @Option(names = "--platform", paramLabel = "OS/ARCH", description = "The platform to pull (default: this machine's).")
        String platform;

        @Parameters(paramLabel = "IMAGE")
        String image;

        @Override
        public Integer call() throws IOException {
            ImageReference ref = ImageReference.parse(image);
            Platform p = platform == null ? Platform.current() : Platform.parse(platform);
            RegistryClient client = new RegistryClient(new Credentials(root.dataRoot()), registry.insecureRegistries(root.dataRoot()));
            RegistryClient.PullResult r = client.pull(ref, p, images(), progress());
            out().println("Digest: " + r.digest());
            out().println("Status: " + (r.downloaded() ? "Downloaded newer image for " : "Image is up to date for ") + ref.familiar());
            out().println(ref.toString());
            return 0;
        }
    }

    @Command(name = "push", description = "Upload an image to a registry.")
    public static class Push extends ImageCommand {
        @Mixin
        RegistryOptions registry;

        @Parameters(paramLabel = "IMAGE")
        String image;

        @Override
        public Integer call() throws IOException {
            ImageReference ref = ImageReference.parse(image);
            Images images = images();
            ImageStore.Image img = images.store().resolve(image);
            new RegistryClient(new Credentials(root.dataRoot()), registry.insecureRegistries(root.dataRoot()))
                    .push(img, ref, images, progress());
            return 0;
        }
    }

    @Command(name = "images", description = "List images.")
    public static class ImagesList extends ImageCommand {
        @Option(names = {"-q", "--quiet"}, description = "Only the image ids.")
        boolean quiet;

        @Override
        public Integer call() throws IOException {
            Images images = images();
            if (!quiet) {
                out().printf("%-32s %-12s %-14s %-22s %s%n", "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
            }
            List<ImageStore.Image> list = new ArrayList<>(images.store().list());
            list.sort(Comparator.comparing((ImageStore.Image i) -> StorageCommands.createdAt(i.config().created())).reversed());
            for (ImageStore.Image i : list) { // newest first, as docker lists them
                List<ImageReference> refs = i.refs().isEmpty() ? Collections.singletonList(null) : i.refs();
                for (ImageReference r : refs) {
                    if (quiet) {
                        out().println(i.id().shortHex());
                        continue;
                    }
                    out().printf("%-32s %-12s %-14s %-22s %s%n", r == null ? "<none>" : r.familiarRepository(),
                            r == null ? "<none>" : r.tag(), i.id().shortHex(), ago(i.config().created()),
                            Progress.human(images.size(i)));
                }
            }
            return 0;
        }
    }

    @Command(name = "inspect", description = "Show images' details as JSON.")
    public static class Inspect extends ImageCommand {
        @Parameters(paramLabel = "IMAGE", arity = "1..*")
        List<String> names;

        @Override
        public Integer call() throws IOException {
            Images images = images();
            List<Map<String, Object>> all = new ArrayList<>();
            for (String name : names) {
                ImageStore.Image i = images.store().resolve(name);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Id", i.id().toString());
                m.put("RepoTags", i.refs().stream().map(ImageReference::familiar).toList());
                m.put("ManifestDigest", i.manifestDigest().toString());
                m.put("Created", i.config().created());
                m.put("Author", i.config().author());
                m.put("Config", i.config().config());
                m.put("Architecture", i.config().architecture());
                m.put("Os", i.config().os());
                m.put("Size", images.size(i));
                m.put("RootFS", i.config().rootfs());
                all.add(m);
            }
            out().println(Json.pretty(all));
            return 0;
        }
    }

    @Command(name = "manifest", description = "Show an image's manifest: its config and layer blobs, by digest.")
    public static class ShowManifest extends ImageCommand {
        @Parameters(paramLabel = "IMAGE")
        String name;

        @Override
        public Integer call() throws IOException {
            out().println(Json.pretty(images().store().resolve(name).manifest()));
            return 0;
        }
    }

    @Command(name = "history", description = "Show how an image was made, newest first.")
    public static class History extends ImageCommand {
        @Parameters(paramLabel = "IMAGE")
        String name;

        @Override
        public Integer call() throws IOException {
            Images images = images();
            ImageStore.Image i = images.store().resolve(name);
            out().printf("%-14s %-22s %-40s %-10s %s%n", "IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
            List<ImageConfig.History> history = i.config().history();
            int layer = i.manifest().layers().size() - 1;
            for (int h = history.size() - 1; h >= 0; h--) {
                ImageConfig.History e = history.get(h);
                boolean empty = Boolean.TRUE.equals(e.emptyLayer());
                long size = empty || layer < 0 ? 0 : images.layerSize(i, layer--);
                String by = e.createdBy() == null ? "" : e.createdBy();
                out().printf("%-14s %-22s %-40s %-10s %s%n", h == history.size() - 1 ? i.id().shortHex() : "<missing>",
                        ago(e.created()), by.length() > 40 ? by.substring(0, 37) + "..." : by, Progress.human(size),
                        e.comment() == null ? "" : e.comment());
            }
            return 0;
        }
    }

    @Command(name = "tag", description = "Give an image another name.")
    public static class Tag extends ImageCommand {
        @Parameters(index = "0", paramLabel = "SOURCE")
        String source;

        @Parameters(index = "1", paramLabel = "TARGET")
        String target;

        @Override
        public Integer call() throws IOException {
            Images images = images();
            ImageStore.Image i = images.store().resolve(source);
            images.store().add(i.manifestDescriptor(), List.of(ImageReference.parse(target)));
            return 0;
        }
    }

    @Command(name = "rmi", description = "Remove images (names, or ids).")
    public static class Rmi extends ImageCommand {
        @Option(names = {"-f", "--force"}, description = "Even if a container uses it, or it has several names.")
        boolean force;

        @Parameters(paramLabel = "IMAGE", arity = "1..*")
        List<String> names;

        @Override
        public Integer call() throws IOException {
            for (String name : names) {
                images().remove(name, force).forEach(out()::println);
            }
            return 0;
        }
    }

    @Command(name = "import", description = "Make a one-layer image from a root filesystem: a tar (a file, or - for stdin) or a directory.")
    public static class Import extends ImageCommand {
        @Option(names = {"-c", "--change"}, paramLabel = "INSTRUCTION", description = "A Dockerfile instruction to apply: CMD, ENV ...")
        List<String> changes = new ArrayList<>();

        @Option(names = {"-m", "--message"}, description = "A comment for the image's history.")
        String message;

        @Parameters(index = "0", paramLabel = "FILE|DIR|-", description = "A tar (plain, gzip or zstd), a directory, or - for stdin.")
        String file;

        @Parameters(index = "1", arity = "0..1", paramLabel = "REF")
        String ref;

        @Override
        public Integer call() throws IOException {
            List<ImageReference> tags = ref == null ? List.of() : List.of(ImageReference.parse(ref));
            if (!file.equals("-") && Files.isDirectory(Path.of(file))) {
                out().println(images().importDirectory(Path.of(file), tags, changes, message).id());
                return 0;
            }
            try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
                out().println(images().importRootfs(in, tags, changes, message).id());
            }
            return 0;
        }
    }

    @Command(name = "save", description = "Write images to a tar archive (docker-archive, or OCI).")
    public static class Save extends ImageCommand {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
        Path output;

        @Option(names = "--format", paramLabel = "docker|oci", description = "docker (what docker save writes) or oci.")
        String format = "docker";

        @Parameters(paramLabel = "IMAGE", arity = "1..*")
        List<String> names;

        @Override
        public Integer call() throws IOException {
            Archives.Format f = switch (format.toLowerCase(Locale.ROOT)) {
                case "docker", "docker-archive" -> Archives.Format.DOCKER;
                case "oci", "oci-archive" -> Archives.Format.OCI;
                default -> throw new JockerException("unknown archive format \"" + format + "\" (docker or oci)");
            };
            Images images = images();
            List<ImageStore.Image> list = new ArrayList<>();
            List<List<ImageReference>> tags = new ArrayList<>();
            for (String name : names) {
                ImageStore.Image i = images.store().resolve(name);
                list.add(i);
                ImageReference asGiven = byName(name, i);
                tags.add(asGiven != null ? List.of(asGiven) : i.refs());
            }
            if (output == null && System.console() != null) {
                throw new JockerException("refusing to write a tar archive to a terminal: use -o FILE or redirect");
            }
            Path tmp = output == null ? null : Files.createTempFile(output.toAbsolutePath().getParent(), ".save-", ".tar");
            try (OutputStream out = new BufferedOutputStream(tmp == null ? System.out : Files.newOutputStream(tmp))) {
                Archives.save(list, tags, f, images, out);
            } catch (IOException | RuntimeException e) {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
                throw e;
            }
            if (tmp != null) {
                Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return 0;
        }

        private static ImageReference byName(String name, ImageStore.Image i) {
            try {
                ImageReference r = ImageReference.parse(name);
                return i.refs().contains(r) ? r : null;
            } catch (JockerException notAName) {
                return null;
            }
        }
    }

    @Command(name = "load", description = "Load images from a tar archive (docker-archive or OCI).")
    public static class Load extends ImageCommand {
        @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Read from FILE instead of stdin.")
        Path input;

        @Override
        public Integer call() throws IOException {
            try (InputStream in = input == null ? System.in : Files.newInputStream(input)) {
                Archives.load(in, images(), Platform.current()).forEach(out()::println);
            }
            return 0;
        }
    }

    @Command(name = "commit", description = "Make an image from a container's changes.")
    public static class Commit extends ImageCommand {
        @Option(names = {"-a", "--author"}, description = "Author (\"Jane <jane@example.org>\").")
        String author;

        @Option(names = {"-m", "--message"}, description = "Commit message.")
        String message;

        @Option(names = {"-c", "--change"}, paramLabel = "INSTRUCTION", description = "A Dockerfile instruction to apply: CMD, ENV ...")
        List<String> changes = new ArrayList<>();

        @Parameters(index = "0", paramLabel = "CONTAINER")
        String container;

        @Parameters(index = "1", arity = "0..1", paramLabel = "REF")
        String ref;

        @Override
        public Integer call() throws IOException {
            Storage storage = Storage.open(root.dataRoot());
            ContainerRecord c = storage.containers().find(container);
            List<ImageReference> tags = ref == null ? List.of() : List.of(ImageReference.parse(ref));
            out().println(Committer.commit(images(), storage, c, author, message, changes, tags).id());
            return 0;
        }
    }

    @Command(name = "login", description = "Store credentials for a registry (after checking them with it).")
    public static class Login extends ImageCommand {
        @Mixin
        RegistryOptions registry;

        @Option(names = {"-u", "--username"}, required = true)
        String user;

        @Option(names = {"-p", "--password"}, description = "The password (--password-stdin keeps it out of ps).")
        String password;

        @Option(names = "--password-stdin", description = "Read the password from stdin.")
        boolean passwordStdin;

        @Parameters(arity = "0..1", paramLabel = "SERVER")
        String server = ImageReference.DOCKER_HUB;

        @Override
        public Integer call() throws IOException {
            String pw = password;
            if (passwordStdin) {
                pw = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
            if (pw == null || pw.isEmpty()) {
                throw new JockerException("a password is needed: -p PASSWORD or --password-stdin");
            }
            new RegistryClient(new Credentials(root.dataRoot()), registry.insecureRegistries(root.dataRoot()))
                    .login(server, user, pw);
            new Credentials(root.dataRoot()).put(server, user, pw);
            out().println("Login Succeeded");
            return 0;
        }
    }

    @Command(name = "logout", description = "Forget the credentials of a registry.")
    public static class Logout extends ImageCommand {
        @Parameters(arity = "0..1", paramLabel = "SERVER")
        String server = ImageReference.DOCKER_HUB;

        @Override
        public Integer call() throws IOException {
            boolean removed = new Credentials(root.dataRoot()).remove(server);
            out().println(removed ? "Removing login credentials for " + server : "Not logged in to " + server);
            return 0;
        }
    }

    /** How long ago, in docker's words (go-units' HumanDuration): "Less than a second ago", "3 minutes ago". */
    static String ago(String created) {
        if (created == null) {
            return "N/A";
        }
        try {
            return humanDuration(Duration.between(Instant.parse(created), Instant.now())) + " ago";
        } catch (RuntimeException e) {
            return created;
        }
    }

    static String humanDuration(Duration d) {
        long seconds = d.toSeconds();
        long minutes = d.toMinutes();
        long hours = (d.toMillis() + 1_800_000) / 3_600_000; // rounded, as docker rounds hours
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        } else if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        } else if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return d.toHours() / 24 / 365 + " years";
    }
}

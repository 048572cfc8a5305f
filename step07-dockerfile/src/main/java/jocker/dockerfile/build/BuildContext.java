package jocker.dockerfile.build;

import jocker.sys.JockerException;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

// tag::context[]
/**
 * The build context: a directory, less what .dockerignore leaves out.
 * COPY and ADD read only from it: a source is cleaned as a path inside the
 * context (../ cannot climb out), may hold wildcards, and must not be
 * ignored.
 */
final class BuildContext {
    private final Path root;
    private final DockerIgnore ignore;
    private final TreeSet<String> files = new TreeSet<>();
    private long tarSize = 1024;
    /** copies of directories made for a COPY (ignored files left out), removed after it */
    final List<Path> temps = new ArrayList<>();

    private BuildContext(Path root, DockerIgnore ignore) {
        this.root = root;
        this.ignore = ignore;
    }

    static BuildContext open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new JockerException("unable to prepare context: path \"" + dir + "\" not found");
        }
        Path di = dir.resolve(".dockerignore");
        DockerIgnore ignore = DockerIgnore.parse(Files.isRegularFile(di) ? Files.readString(di) : "");
        BuildContext c = new BuildContext(dir.toAbsolutePath().normalize(), ignore);
        c.walk(c.root, "");
        return c;
    }

    private void walk(Path dir, String rel) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted().toList();
        }
        for (Path p : children) {
            String r = rel.isEmpty() ? p.getFileName().toString() : rel + "/" + p.getFileName();
            boolean excluded = ignore.excludes(r);
            boolean directory = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            if (excluded && !(directory && ignore.hasExceptions())) {
                continue;
            }
            if (!excluded) {
                files.add(r);
                tarSize += 512 + (directory ? 0 : (Files.size(p) + 511) / 512 * 512);
            }
            if (directory) {
                walk(p, r);
            }
        }
    }

    /** The size of the context as a tar, as docker says it sends. */
    long tarSize() {
        return tarSize;
    }

    /** docker's units.HumanSize: decimal units, four significant digits. */
    static String humanSize(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        String s = String.format("%.4g", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s + units[u];
    }

    /** The sources of a COPY or ADD, with wildcards matched among the context's files. */
    Sources sources(List<String> words, boolean add) throws IOException {
        List<Sources.Source> out = new ArrayList<>();
        for (String w : words) {
            if (add && (w.startsWith("http://") || w.startsWith("https://"))) {
                out.add(download(w));
                continue;
            }
            String rel = DockerIgnore.clean("/" + w).substring(1);
            List<String> matched = new ArrayList<>();
            if (rel.isEmpty()) {
                matched.add("");
            } else if (rel.matches(".*[*?\\[].*")) {
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + rel.replace("**", "*"));
                for (String f : files) {
                    if (m.matches(Path.of(f))) {
                        matched.add(f);
                    }
                }
            } else if (files.contains(rel)) {
                matched.add(rel);
            }
            if (matched.isEmpty()) {
                throw new JockerException(add ? "ADD failed: file not found in build context or excluded by .dockerignore: stat "
                        + w + ": file does not exist"
                        : "COPY failed: file not found in build context or excluded by .dockerignore: stat " + w
                        + ": file does not exist");
            }
            for (String f : matched) {
                Path p = f.isEmpty() ? root : root.resolve(f);
                boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                out.add(new Sources.Source(Sources.name(f), dir ? filtered(p, f) : p, dir, add && !dir && Archives.isArchive(p)));
            }
        }
        return Sources.of(out);
    }

    // tag::download[]
    /**
     * ADD URL: the file fetched (on every build; the cache compares its
     * content), named as the URL's last path element, mode 600 as docker
     * makes it, its time the Last-Modified the server sent; never unpacked.
     */
    private Sources.Source download(String url) throws IOException {
        java.net.URI uri = java.net.URI.create(url);
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            throw new JockerException("cannot determine filename from url: " + url);
        }
        Path dir = Files.createTempDirectory("jocker-download");
        temps.add(dir);
        Path file = dir.resolve(name);
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build();
        try {
            java.net.http.HttpResponse<Path> r = client.send(java.net.http.HttpRequest.newBuilder(uri).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofFile(file));
            if (r.statusCode() / 100 != 2) {
                throw new JockerException("failed to GET " + url + " with status " + r.statusCode());
            }
            java.util.Optional<String> modified = r.headers().firstValue("Last-Modified");
            if (modified.isPresent()) {
                try {
                    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(java.time.ZonedDateTime.parse(
                            modified.get(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
                } catch (java.time.format.DateTimeParseException e) {
                    // docker ignores a Last-Modified it cannot read too
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JockerException("interrupted while fetching " + url);
        } catch (java.net.ConnectException e) {
            throw new JockerException("failed to GET " + url + ": connection refused");
        }
        Files.setAttribute(file, "unix:mode", 0600);
        return new Sources.Source(name, file, false, false);
    }
    // end::download[]

    /** A directory source without its ignored files: the directory itself if nothing in it is ignored. */
    private Path filtered(Path dir, String rel) throws IOException {
        String prefix = rel.isEmpty() ? "" : rel + "/";
        boolean all = true;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                String r = root.relativize(p).toString();
                if (!r.isEmpty() && r.startsWith(prefix) && !files.contains(r)) {
                    all = false;
                    break;
                }
            }
        }
        if (all) {
            return dir;
        }
        Path copy = Files.createTempDirectory("jocker-context");
        temps.add(copy);
        Copier.attributes(dir, copy);
        for (String f : files) {
            if (f.startsWith(prefix)) {
                Path from = root.resolve(f);
                Path to = copy.resolve(f.substring(prefix.length()));
                if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(to);
                    Copier.attributes(from, to);
                } else {
                    Files.createDirectories(to.getParent());
                    Copier.copy(from, to, null, null, null);
                }
            }
        }
        return copy;
    }
}
// end::context[]

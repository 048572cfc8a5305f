package jocker.image;

import jocker.sys.JockerException;

import java.util.regex.Pattern;

/**
 * An image reference, normalised the way docker does it (the
 * distribution/reference grammar):
 * <pre>
 *   busybox                    docker.io/library/busybox:latest
 *   me/app:1.0                 docker.io/me/app:1.0
 *   localhost:5000/app         localhost:5000/app:latest
 *   app@sha256:...             docker.io/library/app@sha256:...
 * </pre>
 * The first component is a registry when it has a "." or a ":", or is
 * "localhost"; otherwise the registry is docker.io, and a single name there
 * is an official image under library/.
 *
 * @param tag    null when only a digest was given
 * @param digest null unless given
 */
public record ImageReference(String domain, String path, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?");

    public static ImageReference parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 255 * 2) {
            throw invalid(text, null);
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Digest.parse(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(text, "bad tag \"" + tag + "\"");
            }
        }
        if (rest.length() > 255) {
            // distribution's limit, on the name as written (registry included)
            throw invalid(text, "repository name must not be more than 255 characters");
        }
        String domain = DOCKER_HUB;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                if (!DOMAIN.matcher(first).matches()) {
                    throw invalid(text, "bad registry \"" + first + "\"");
                }
                domain = first;
                path = rest.substring(slash + 1);
            }
        }
        if (!path.equals(path.toLowerCase(java.util.Locale.ROOT))) {
            throw invalid(text, "repository name must be lowercase");
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw invalid(text, null);
            }
        }
        if (domain.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(domain, path, tag, digest);
    }

    private static JockerException invalid(String text, String why) {
        return new JockerException("invalid reference format" + (why == null ? "" : ": " + why) + " (\"" + text + "\")");
    }

    /** domain/path: "docker.io/library/busybox". */
    public String repository() {
        return domain + "/" + path;
    }

    /** What the registry API calls the repository: "library/busybox". */
    public String name() {
        return path;
    }

    /** The full normalised text, tag and digest included. */
    @Override
    public String toString() {
        return repository() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** The short form docker shows: "busybox:latest", "me/app:1.0", "localhost:5000/app:latest". */
    public String familiar() {
        return familiarRepository() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    public String familiarRepository() {
        if (domain.equals(DOCKER_HUB)) {
            return path.startsWith("library/") ? path.substring(8) : path;
        }
        return repository();
    }

    /** The tag or the digest, as a registry's manifest URL wants it. */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(domain, path, newTag, null);
    }
}

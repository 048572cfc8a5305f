package jocker.runtime;

import jocker.spec.Spec;

import java.nio.file.Path;

/**
 * One container as the runner sees it: its id, its spec, and the bundle
 * directory relative paths in the spec are read from.
 */
public record Container(String id, Spec spec, Path bundleDir) {
    /** The first 12 characters of the id, as docker shows it and uses for the hostname. */
    public String shortId() {
        return id.substring(0, 12);
    }
}

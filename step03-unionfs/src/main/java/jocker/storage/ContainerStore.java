package jocker.storage;

import jocker.layers.TreeCopy;
import jocker.sys.AtomicFile;
import jocker.sys.JockerException;
import jocker.sys.Json;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The containers under the data root: ROOT/containers/ID, holding
 * container.json and the container's own layer. A container kept after it
 * ends (no --rm) stays here for diff and export until rm.
 */
public final class ContainerStore {
    /** docker's rule for names */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");

    private final Path dir;

    public ContainerStore(Path dataRoot) {
        this.dir = dataRoot.resolve("containers");
    }

    public Path dir(ContainerRecord c) {
        return dir.resolve(c.id());
    }

    // tag::claim-name[]
    /**
     * Registers a new container; its name must be free. The name is claimed
     * by creating containers/.names/NAME exclusively (holding the id, a hard
     * link to a file written first), once
     * the container's own container.json is written: of two runs racing for
     * one name, the file system lets exactly one win, and a name file whose
     * container has no container.json is stale (its run died) and reclaimed.
     */
    public ContainerRecord create(ContainerRecord c) throws IOException {
        if (c.name() != null) {
            if (!NAME.matcher(c.name()).matches()) {
                throw new JockerException("invalid container name \"" + c.name() + "\": two or more of [a-zA-Z0-9_.-],"
                        + " the first a letter or digit (docker's rule)");
            }
        }
        Files.createDirectories(dir.resolve(c.id()));
        save(c);
        if (c.name() != null) {
            try {
                claimName(c); // after container.json: a name file whose holder has none is stale
            } catch (RuntimeException | IOException e) {
                TreeCopy.deleteTree(dir.resolve(c.id()));
                throw e;
            }
        }
        return c;
    }

    private void claimName(ContainerRecord c) throws IOException {
        Path names = Files.createDirectories(dir.resolve(".names"));
        Path file = names.resolve(c.name());
        // written whole beside it, then hard-linked into place: link(2) fails if the
        // name exists, and a name file is never seen half-written
        Path mine = names.resolve("." + c.name() + "." + c.id());
        Files.writeString(mine, c.id());
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    Files.createLink(file, mine);
                    return;
                } catch (FileAlreadyExistsException taken) {
                    String holder = readQuietly(file);
                    if (holder == null) {
                        continue; // removed meanwhile: try again
                    }
                    if (Files.isRegularFile(dir.resolve(holder).resolve("container.json"))) {
                        throw new JockerException("the container name \"/" + c.name() + "\" is already in use by "
                                + "container " + holder.substring(0, Math.min(12, holder.length()))
                                + ": remove it (rm) to reuse the name");
                    }
                    Files.deleteIfExists(file); // its container never came to be, or is gone
                }
            }
            throw new JockerException("the container name \"/" + c.name() + "\" is being claimed by another run");
        } finally {
            Files.deleteIfExists(mine);
        }
    }
    // end::claim-name[]

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException gone) {
            return null;
        }
    }

    // tag::save[]
    /** Writes container.json whole or not at all: a temporary file, fsync, rename. */
    public void save(ContainerRecord c) throws IOException {
        AtomicFile.write(dir.resolve(c.id()).resolve("container.json"), Json.PRETTY.writeValueAsBytes(c));
    }
    // end::save[]

    public List<ContainerRecord> list() throws IOException {
        List<ContainerRecord> all = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return all;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                Path json = p.resolve("container.json");
                if (Files.isRegularFile(json)) {
                    all.add(Json.MAPPER.readValue(json.toFile(), ContainerRecord.class));
                }
            }
        }
        return all;
    }

    /** By name, full id or unique id prefix. */
    public ContainerRecord find(String ref) throws IOException {
        List<ContainerRecord> byPrefix = new ArrayList<>();
        for (ContainerRecord c : list()) {
            if (ref.equals(c.name()) || ref.equals(c.id())) {
                return c;
            }
            if (ref.length() >= 1 && c.id().startsWith(ref)) {
                byPrefix.add(c);
            }
        }
        if (byPrefix.size() == 1) {
            return byPrefix.get(0);
        }
        throw new JockerException(byPrefix.isEmpty() ? "No such container: " + ref
                : "container " + ref + " is ambiguous: " + byPrefix.size() + " containers match");
    }

    public void remove(ContainerRecord c) throws IOException {
        TreeCopy.deleteTree(dir.resolve(c.id()));
        if (c.name() != null && c.id().equals(readQuietly(dir.resolve(".names").resolve(c.name())))) {
            Files.deleteIfExists(dir.resolve(".names").resolve(c.name()));
        }
    }

    // tag::recover[]
    /**
     * Tidies up after step03 processes that died (SIGKILL, a crash) while
     * running a container: a --rm container's layer is deleted, a kept one is
     * marked as no longer running. Mounts need no tidying: the container's
     * overlay only ever existed in its own mount namespace, which the kernel
     * removed with its last process.
     *
     * @return the containers whose step03 died (their cgroups are the caller's to remove)
     */
    public List<ContainerRecord> recover() throws IOException {
        List<ContainerRecord> dead = new ArrayList<>();
        for (ContainerRecord c : list()) {
            if (c.ownerPid() == 0 || Owner.isAlive(c.ownerPid(), c.ownerStart())) {
                continue;
            }
            if (c.autoRemove()) {
                remove(c);
            } else {
                save(c.owned(0, 0));
            }
            dead.add(c);
        }
        return dead;
    }
    // end::recover[]

    public boolean isRunning(ContainerRecord c) {
        return c.ownerPid() != 0 && Owner.isAlive(c.ownerPid(), c.ownerStart());
    }
}

package jocker.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jocker.layers.TreeCopy;
import jocker.sys.JockerException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public ContainerStore(Path dataRoot) {
        this.dir = dataRoot.resolve("containers");
    }

    public Path dir(ContainerRecord c) {
        return dir.resolve(c.id());
    }

    /** Registers a new container; its name must be free. */
    public ContainerRecord create(ContainerRecord c) throws IOException {
        if (c.name() != null) {
            if (!NAME.matcher(c.name()).matches()) {
                throw new JockerException("invalid container name \"" + c.name() + "\", only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
            }
            for (ContainerRecord other : list()) {
                if (c.name().equals(other.name())) {
                    throw new JockerException("the container name \"/" + c.name() + "\" is already in use by container "
                            + other.shortId() + ": remove it (rm) to reuse the name");
                }
            }
        }
        Files.createDirectories(dir.resolve(c.id()));
        save(c);
        return c;
    }

    // tag::save[]
    /** Writes container.json whole or not at all: a temporary file, fsync, rename. */
    public void save(ContainerRecord c) throws IOException {
        Path target = dir.resolve(c.id()).resolve("container.json");
        Path tmp = target.resolveSibling("container.json.tmp");
        Files.write(tmp, JSON.writeValueAsBytes(c));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
                    all.add(JSON.readValue(json.toFile(), ContainerRecord.class));
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

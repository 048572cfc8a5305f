package jocker.runtime;

import jocker.spec.Spec;
import jocker.spec.SpecFile;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.jna.LastErrorException;
import jocker.sys.AtomicFile;
import jocker.sys.Fd;
import jocker.sys.FileTree;
import jocker.sys.LibC;
import jocker.sys.SysException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The runtime's state directory (runc's --root): one directory per
 * container, holding
 * <ul>
 * <li>state.json: the {@link State}, replaced atomically at each change;
 * <li>config.json: the spec it was created from (delete needs it to undo
 *     what each feature did, in another process, maybe much later);
 * <li>exec.fifo: while the container is created (see ExecFifo);
 * <li>run: for a foreground run's container, the JVM running it.
 * </ul>
 * It lives under /run by default: a tmpfs, emptied at boot, when every
 * container is gone anyway.
 */
public final class StateStore {
    public static final Path DEFAULT_ROOT = Path.of("/run/jocker/runtime");
    public static final String STATE = "state.json";
    private static final String RUN = "run";

    // runc's rule: letters, digits, and _ + - . ; never "." or ".."
    private static final Pattern ID = Pattern.compile("[\\w+.-]+");

    private final Path root;

    public StateStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path dir(String id) {
        return root.resolve(checkId(id));
    }

    public static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new ContainerException("invalid container id \"" + id + "\": use letters, digits and _ + - .");
        }
        return id;
    }

    // tag::claim[]
    /**
     * Claims an id: mkdir(2) either creates the directory or fails because it
     * exists, so of two creates of one id exactly one wins. 0711: the init,
     * once it is the container's user, must still reach exec.fifo inside
     * (from the fd {@link #openDir} gives it: the root above stays 0700).
     */
    public Path claim(String id) {
        Path dir = dir(id);
        try {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        } catch (FileAlreadyExistsException e) {
            throw new ContainerException("container " + id + " already exists (in " + root + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the state directory " + dir, e);
        }
        return dir;
    }
    // end::claim[]

    /** An O_PATH fd on a state directory, for the init (see InitPipes.STATE_DIR_FD). */
    static int openDir(Path dir) {
        try {
            return LibC.open(dir.toString(), Fd.O_PATH | Fd.O_DIRECTORY | Fd.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw SysException.of(e, "open the state directory " + dir);
        }
    }

    public void save(State state) {
        try {
            AtomicFile.write(dir(state.id()).resolve(STATE), StateJson.write(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state of container " + state.id(), e);
        }
    }

    public void saveSpec(String id, Spec spec) {
        try {
            AtomicFile.write(dir(id).resolve(SpecFile.NAME), SpecFile.toJson(spec).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the spec of container " + id, e);
        }
    }

    /** Marks the container as a foreground run's, by the JVM that runs it (a file "run": pid and start time). */
    public void markRunBy(String id, InitProcess jvm) {
        try {
            AtomicFile.write(dir(id).resolve(RUN), (jvm.pid() + " " + jvm.startTime()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark container " + id + " as a foreground run", e);
        }
    }

    /** The JVM running this container in the foreground, or null if it is not a foreground run's. */
    public InitProcess runBy(String id) {
        try {
            String[] parts = Files.readString(dir(id).resolve(RUN)).trim().split(" ");
            return new InitProcess(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
        } catch (IOException | RuntimeException notARun) {
            return null;
        }
    }

    /** The recorded state, as written last; {@link ContainerException} if there is no such container. */
    public State load(String id) {
        Path file = dir(id).resolve(STATE);
        try {
            return StateJson.read(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ContainerException("container " + id + " does not exist");
        } catch (JsonProcessingException e) {
            throw new ContainerException("the state of container " + id + " is damaged: " + file + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state of container " + id + " (" + file + ")", e);
        }
    }

    public Spec loadSpec(String id) {
        return SpecFile.read(dir(id).resolve(SpecFile.NAME));
    }

    /** The ids with a state directory, in name order. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(d -> Files.isRegularFile(d.resolve(STATE))).map(d -> d.getFileName().toString())
                    .sorted().forEach(ids::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return ids;
    }

    /** Removes the container's state directory and everything in it. */
    public void remove(String id) {
        Path dir = dir(id);
        try {
            FileTree.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the state directory " + dir, e);
        }
    }
}

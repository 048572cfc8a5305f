package jocker.volumes;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jocker.layers.TreeCopy;
import jocker.storage.Storage;
import jocker.sys.AtomicFile;
import jocker.sys.JockerException;
import jocker.sys.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Volumes under the data root, as docker's local driver keeps them:
 * {@code volumes/NAME/_data} is the data, {@code volumes/NAME/volume.json}
 * what docker's {@code volume inspect} shows (and two fields of jocker's).
 * A volume lives outside every container's union filesystem: removing a
 * container leaves it, and any number of containers can mount it.
 */
public final class VolumeStore {
    /** docker's rule for local volume names */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    /** what marks a volume docker made for an image VOLUME or a bare {@code -v /path} */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";
    /** A copy being made beside a volume's _data (see VolumeRunPart), named with its maker's pid. */
    public static final String FILLING = ".fill-";
    private static final Set<String> OPTIONS = Set.of("type", "o", "device", "size");

    /**
     * A volume, with docker's field names.
     *
     * @param removeWith the container it goes with: an anonymous volume's, from its making until its container
     *                   is made and kept (then null), or for good with --rm
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Volume(@JsonProperty("CreatedAt") String createdAt,
                         @JsonProperty("Driver") String driver,
                         @JsonProperty("Labels") Map<String, String> labels,
                         @JsonProperty("Mountpoint") String mountpoint,
                         @JsonProperty("Name") String name,
                         @JsonProperty("Options") Map<String, String> options,
                         @JsonProperty("Scope") String scope,
                         @JsonProperty("JockerRemoveWith") @JsonInclude(JsonInclude.Include.NON_NULL) String removeWith) {
        public Volume {
            labels = labels == null ? Map.of() : new TreeMap<>(labels);
            options = options == null ? Map.of() : new TreeMap<>(options);
        }

        public boolean anonymous() {
            return labels.containsKey(ANONYMOUS_LABEL);
        }

        /** Whether its options say what to mount (type/device/o, as mount(8) takes them) instead of its _data. */
        public boolean mountsDevice() {
            return options.containsKey("type");
        }
    }

    private final Path dataRoot;
    private final Path dir;

    private VolumeStore(Path dataRoot) {
        this.dataRoot = dataRoot;
        this.dir = dataRoot.resolve("volumes");
    }

    /** The volume store of a data root, after tidying what dead runs left (their containers first, then their volumes). */
    public static VolumeStore open(Path dataRoot) throws IOException {
        Storage.open(dataRoot); // recovers containers whose run was killed
        VolumeStore store = new VolumeStore(dataRoot);
        store.collect();
        return store;
    }

    // tag::names[]
    /** docker's rules for a volume's name, with docker's messages. */
    public static void checkName(String name) {
        if (name.length() == 1) {
            throw new JockerException("volume name is too short, names should be at least two alphanumeric characters");
        }
        if (!NAME.matcher(name).matches()) {
            throw new JockerException("\"" + name + "\" includes invalid characters for a local volume name, only \""
                    + "[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
        }
    }
    // end::names[]

    /** docker's local driver: only type, o, device and size; type and device go together, o needs both. */
    static void checkOptions(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new JockerException("invalid option: \"" + key + "\"");
            }
        }
        boolean type = options.containsKey("type"), device = options.containsKey("device");
        if (device && !type || options.containsKey("o") && !type) {
            throw new JockerException("missing required option: \"type\"");
        }
        if (type && !device) {
            throw new JockerException("missing required option: \"device\"");
        }
        if (options.containsKey("size") && !"tmpfs".equals(options.get("type"))) {
            throw new JockerException("quota size requested but no quota support"); // docker's local driver without xfs quotas
        }
    }

    // tag::create[]
    /**
     * Creates volume name (null: an anonymous one, a random 64-hex name);
     * an existing name is returned as it is, as docker does. The directory
     * is made under a temporary name and renamed into place with its
     * volume.json, so a volume is there whole or not at all.
     */
    public Volume create(String name, String driver, Map<String, String> options, Map<String, String> labels,
                         boolean anonymous, String removeWith) throws IOException {
        if (driver != null && !driver.equals("local")) {
            throw new JockerException("error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
        }
        if (name == null) {
            name = randomName();
        } else {
            checkName(name);
            Volume existing = find(name);
            if (existing != null) {
                return existing;
            }
        }
        checkOptions(options);
        Map<String, String> allLabels = new LinkedHashMap<>(labels);
        if (anonymous) {
            allLabels.put(ANONYMOUS_LABEL, "");
        }
        Volume v = new Volume(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), "local", allLabels,
                dir.resolve(name).resolve("_data").toString(), name, options, "local", removeWith);
        Path work = Files.createDirectories(dir).resolve(".new-" + name + "-" + ProcessHandle.current().pid());
        TreeCopy.deleteTree(work);
        try {
            Files.createDirectories(work.resolve("_data"));
            AtomicFile.write(work.resolve("volume.json"), Json.PRETTY.writeValueAsBytes(v));
            Files.move(work, dir.resolve(name)); // rename(2); fails if another run made the name meanwhile
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
            return get(name);
        } finally {
            TreeCopy.deleteTree(work); // gone already once renamed
        }
        return v;
    }
    // end::create[]

    private static String randomName() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The volume of that name, or null. */
    public Volume find(String name) throws IOException {
        Path json = dir.resolve(name).resolve("volume.json");
        if (name.isEmpty() || name.startsWith(".") || name.contains("/") || !Files.isRegularFile(json)) {
            return null;
        }
        return Json.MAPPER.readValue(json.toFile(), Volume.class);
    }

    /** The volume of that name; docker's error if there is none. */
    public Volume get(String name) throws IOException {
        Volume v = find(name);
        if (v == null) {
            throw new JockerException("No such volume: " + name);
        }
        return v;
    }

    public Path data(Volume v) {
        return dir.resolve(v.name()).resolve("_data");
    }

    /** Every volume, by name. */
    public List<Volume> list() throws IOException {
        List<Volume> all = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return all;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                Volume v = find(p.getFileName().toString());
                if (v != null) {
                    all.add(v);
                }
            }
        }
        return all;
    }

    // tag::in-use[]
    /**
     * The containers (ids) that mount volume name: every kept container's
     * volumes.json is read. docker refuses to remove a volume any container
     * refers to, running or not.
     */
    public List<String> users(String name) throws IOException {
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, List<VolumeMounts.Entry>> c : VolumeMounts.all(dataRoot).entrySet()) {
            if (c.getValue().stream().anyMatch(e -> name.equals(e.name()))) {
                ids.add(c.getKey());
            }
        }
        return ids;
    }

    /** Removes volume name, unless a container uses it (docker's error, naming it); force: no error if absent. */
    public void remove(String name, boolean force) throws IOException {
        Volume v = force ? find(name) : get(name);
        if (v == null) {
            return;
        }
        List<String> users = users(name);
        if (!users.isEmpty()) {
            throw new JockerException("remove " + name + ": volume is in use - [" + String.join(", ", users) + "]");
        }
        delete(v);
    }
    // end::in-use[]

    private void delete(Volume v) throws IOException {
        // renamed first: a half-deleted volume is never seen under its name
        Path gone = dir.resolve(".gone-" + v.name() + "-" + ProcessHandle.current().pid());
        Files.move(dir.resolve(v.name()), gone);
        TreeCopy.deleteTree(gone);
    }

    /** Removes the volumes no container uses: anonymous ones only, unless all. Returns them. */
    public List<Volume> prune(boolean all) throws IOException {
        List<Volume> removed = new ArrayList<>();
        for (Volume v : list()) {
            if ((all || v.anonymous()) && users(v.name()).isEmpty()) {
                delete(v);
                removed.add(v);
            }
        }
        return removed;
    }

    // tag::collect[]
    /**
     * Tidies after runs that died: half-made or half-deleted volume
     * directories, copies from an image cut short, and the anonymous volumes of --rm containers that are
     * gone (their run was SIGKILLed, so its own cleanup never came; the next
     * command's recovery removed the container, and now its volumes).
     */
    void collect() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String n = p.getFileName().toString();
                if ((n.startsWith(".new-") || n.startsWith(".gone-")) && !ownerAlive(n)) {
                    TreeCopy.deleteTree(p);
                }
            }
        }
        for (Volume v : list()) {
            try (Stream<Path> entries = Files.list(dir.resolve(v.name()))) {
                for (Path p : entries.toList()) {
                    if (p.getFileName().toString().startsWith(FILLING) && !ownerAlive(p.getFileName().toString())) {
                        TreeCopy.deleteTree(p); // a copy from the image, cut short
                    }
                }
            }
            if (v.removeWith() != null
                    && !Files.isRegularFile(dataRoot.resolve("containers").resolve(v.removeWith()).resolve("container.json"))) {
                delete(v);
            }
        }
    }
    // end::collect[]

    /** A work directory's maker (its name ends with -PID) is still running. */
    private static boolean ownerAlive(String workName) {
        try {
            long pid = Long.parseLong(workName.substring(workName.lastIndexOf('-') + 1));
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isPresent();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Unmarks a volume made for a container: it no longer goes when that container does. */
    public void keep(String name) throws IOException {
        Volume v = get(name);
        if (v.removeWith() != null) {
            Volume kept = new Volume(v.createdAt(), v.driver(), v.labels(), v.mountpoint(), v.name(), v.options(),
                    v.scope(), null);
            AtomicFile.write(dir.resolve(name).resolve("volume.json"), Json.PRETTY.writeValueAsBytes(kept));
        }
    }

    /**
     * Removes the anonymous volumes among a container's mounts (run --rm at its end, rm -v) that no
     * other container uses; removing: that container's id, if it still has its record (else null).
     */
    public void removeAnonymous(List<VolumeMounts.Entry> mounts, String removing) throws IOException {
        for (VolumeMounts.Entry e : mounts) {
            if (e.name() == null) {
                continue;
            }
            Volume v = find(e.name());
            if (v != null && v.anonymous()) {
                List<String> users = new ArrayList<>(users(v.name()));
                users.remove(removing);
                if (users.isEmpty()) {
                    delete(v);
                }
            }
        }
    }
}

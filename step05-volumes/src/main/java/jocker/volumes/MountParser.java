package jocker.volumes;

import jocker.cgroups.MemorySize;
import jocker.spec.SpecException;
import jocker.sys.JockerException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * run's mount flags, parsed as docker parses them (the CLI's --mount
 * reader, the daemon's Linux parser for -v), with their error messages.
 */
public final class MountParser {
    private MountParser() {}

    private static final Set<String> RW_MODES = Set.of("rw", "ro");
    private static final Set<String> LABEL_MODES = Set.of("z", "Z");
    public static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "slave", "rslave", "shared", "rshared");
    private static final Set<String> COPY_MODES = Set.of("nocopy");
    private static final Set<String> CONSISTENCY_MODES = Set.of("consistent", "cached", "delegated");
    /** docker mounts every tmpfs with these first; the user's options come after and win */
    public static final List<String> TMPFS_DEFAULTS = List.of("noexec", "nosuid", "nodev");

    // tag::volume-flag[]
    /**
     * -v [SOURCE:]TARGET[:MODE]: a SOURCE that is an absolute path is a bind
     * mount (its directory made if missing), any other is a volume's name, none an
     * anonymous volume. MODE is a comma list of at most one of each kind:
     * rw|ro, z|Z (SELinux labels, ignored here), a propagation, nocopy, and
     * consistent|cached|delegated (macOS, ignored).
     */
    public static MountRequest parseVolume(String raw) {
        String[] arr = raw.split(":", 4);
        if (arr[0].isEmpty()) {
            throw invalidSpec(raw);
        }
        String source = null, target, mode = "";
        switch (arr.length) {
            case 1 -> target = arr[0];
            case 2 -> {
                if (validMode(arr[1])) {
                    throw invalidSpec(raw); // "/foo:ro" names no target
                }
                source = arr[0];
                target = arr[1];
            }
            case 3 -> {
                source = arr[0];
                target = arr[1];
                mode = arr[2];
            }
            default -> throw invalidSpec(raw);
        }
        if (!validMode(mode)) {
            throw new JockerException("invalid mode: " + mode);
        }
        Mount m = new Mount();
        m.type = source != null && source.startsWith("/") ? "bind" : "volume";
        m.source = source;
        m.target = target;
        List<String> words = List.of(mode.split(","));
        m.readOnly = words.contains("ro");
        if (words.contains("nocopy")) {
            m.volumeOptions = true;
            m.noCopy = true;
        }
        for (String w : words) {
            if (PROPAGATIONS.contains(w)) {
                m.bindOptions = true;
                m.propagation = w;
            }
        }
        m.createSource = true;
        try {
            return m.check(false);
        } catch (JockerException e) {
            throw new JockerException(invalidSpec(raw).getMessage() + ": " + e.getMessage());
        }
    }
    // end::volume-flag[]

    private static JockerException invalidSpec(String raw) {
        return new JockerException("invalid volume specification: '" + raw + "'");
    }

    /** docker's validMountMode: known words, each kind at most once. */
    static boolean validMode(String mode) {
        if (mode.isEmpty()) {
            return true;
        }
        int rw = 0, label = 0, propagation = 0, copy = 0, consistency = 0;
        for (String o : mode.split(",", -1)) {
            if (RW_MODES.contains(o)) {
                rw++;
            } else if (LABEL_MODES.contains(o)) {
                label++;
            } else if (PROPAGATIONS.contains(o)) {
                propagation++;
            } else if (COPY_MODES.contains(o)) {
                copy++;
            } else if (CONSISTENCY_MODES.contains(o)) {
                consistency++;
            } else {
                return false;
            }
        }
        return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
    }

    /** --volumes-from CONTAINER[:ro|rw]: the container and whether its mounts come read-only (null: as they are). */
    public record VolumesFrom(String container, Boolean readOnly) {}

    public static VolumesFrom parseVolumesFrom(String spec) {
        if (spec.isEmpty()) {
            throw new JockerException("volumes-from specification cannot be an empty string");
        }
        int colon = spec.indexOf(':');
        if (colon < 0) {
            return new VolumesFrom(spec, null);
        }
        String mode = spec.substring(colon + 1);
        List<String> words = List.of(mode.split(","));
        // propagation and copy modes cannot change for a mount copied from another container
        if (!validMode(mode) || words.stream().anyMatch(w -> PROPAGATIONS.contains(w) || COPY_MODES.contains(w))) {
            throw new JockerException("invalid mode: " + mode);
        }
        return new VolumesFrom(spec.substring(0, colon), words.contains("ro") ? Boolean.TRUE
                : words.contains("rw") ? Boolean.FALSE : null);
    }

    // tag::mount-flag[]
    /**
     * --mount type=bind|volume|tmpfs,source=...,target=...,...: a CSV list of
     * key=value fields (a few booleans may stand alone). Unlike -v, a bind
     * source must exist, and options of another type are refused.
     */
    public static MountRequest parseMount(String raw) {
        String value = raw.strip();
        if (value.isEmpty()) {
            throw mountFlag(raw, "value is empty");
        }
        Mount m = new Mount();
        for (String field : csvFields(value, raw)) {
            int eq = field.indexOf('=');
            boolean hasValue = eq >= 0;
            String key = hasValue ? field.substring(0, eq) : field;
            String val = hasValue ? field.substring(eq + 1) : "";
            if (!key.strip().equals(key)) {
                throw mountFlag(raw, "invalid option '" + key.strip() + "' in '" + field + "': option should not have whitespace");
            }
            if (hasValue && val.strip().isEmpty()) {
                throw mountFlag(raw, "invalid value for '" + key + "': value is empty");
            }
            if (hasValue && !val.strip().equals(val)) {
                throw mountFlag(raw, "invalid value for '" + key + "' in '" + field + "': value should not have whitespace");
            }
            key = key.toLowerCase(Locale.ROOT);
            if (!hasValue && !Set.of("readonly", "ro", "volume-nocopy", "bind-nonrecursive", "bind-create-src").contains(key)) {
                throw mountFlag(raw, "invalid field '" + field + "' must be a key=value pair");
            }
            switch (key) {
                case "type" -> m.type = val.toLowerCase(Locale.ROOT);
                case "source", "src" -> m.source = val;
                case "target", "dst", "destination" -> m.target = val;
                case "readonly", "ro" -> m.readOnly = bool(raw, key, val, hasValue);
                case "consistency" -> { } // macOS file sharing: nothing to do on Linux
                case "bind-propagation" -> {
                    m.bindOptions = true;
                    m.propagation = val.toLowerCase(Locale.ROOT);
                }
                case "bind-nonrecursive" -> throw mountFlag(raw,
                        "bind-nonrecursive is deprecated, use bind-recursive=disabled instead");
                case "bind-recursive" -> {
                    m.bindOptions = true;
                    switch (val) {
                        case "enabled" -> { }
                        case "disabled" -> m.recursive = false;
                        case "writable", "readonly" -> m.recursiveReadOnly = val;
                        default -> throw mountFlag(raw, "invalid value for " + key + ": " + val
                                + " (must be \"enabled\", \"disabled\", \"writable\", or \"readonly\")");
                    }
                }
                case "bind-create-src" -> {
                    m.bindOptions = true;
                    m.createSource = bool(raw, key, val, hasValue);
                }
                case "volume-nocopy" -> {
                    m.volumeOptions = true;
                    m.noCopy = bool(raw, key, val, hasValue);
                }
                case "volume-label" -> {
                    m.volumeOptions = true;
                    putKeyValue(m.labels, val);
                }
                case "volume-driver" -> {
                    m.volumeOptions = true;
                    m.driver = val;
                }
                case "volume-opt" -> {
                    m.volumeOptions = true;
                    putKeyValue(m.options, val);
                }
                case "tmpfs-size" -> {
                    m.tmpfsOptions = true;
                    m.tmpfsSize = ramInBytes(val);
                    if (m.tmpfsSize < 0) {
                        throw mountFlag(raw, "invalid value for " + key + ": " + val);
                    }
                }
                case "tmpfs-mode" -> {
                    m.tmpfsOptions = true;
                    try {
                        m.tmpfsMode = Integer.parseUnsignedInt(val, 8);
                    } catch (NumberFormatException e) {
                        throw mountFlag(raw, "invalid value for " + key + ": " + val);
                    }
                }
                default -> throw mountFlag(raw, "unknown option '" + key + "' in '" + field + "'");
            }
        }
        String mix = m.mixedOptions();
        if (mix != null) {
            throw mountFlag(raw, "cannot mix '" + mix + "-*' options with mount type '" + m.type + "'");
        }
        if ("writable".equals(m.recursiveReadOnly) && !m.readOnly) {
            throw mountFlag(raw, "option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction");
        }
        if ("readonly".equals(m.recursiveReadOnly) && !m.readOnly) {
            throw mountFlag(raw, "option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction");
        }
        return m.check(true);
    }
    // end::mount-flag[]

    private static JockerException mountFlag(String raw, String message) {
        return new JockerException("invalid argument \"" + raw + "\" for \"--mount\" flag: " + message);
    }

    /** --tmpfs TARGET[:OPTIONS]: a tmpfs with docker's defaults (noexec,nosuid,nodev), then the options given. */
    public static MountRequest parseTmpfs(String raw) {
        int colon = raw.indexOf(':');
        String target = colon < 0 ? raw : raw.substring(0, colon);
        Mount m = new Mount();
        m.type = "tmpfs";
        m.target = target;
        if (colon >= 0 && colon + 1 < raw.length()) {
            m.tmpfsWords.addAll(List.of(raw.substring(colon + 1).split(",")));
        }
        return m.check(false);
    }

    private static boolean bool(String raw, String key, String val, boolean hasValue) {
        if (!hasValue) {
            return true;
        }
        return switch (val) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw mountFlag(raw, "invalid value for '" + key + "': invalid boolean value (\"" + val
                    + "\"): must be one of \"true\", \"1\", \"false\", or \"0\" (default \"true\")");
        };
    }

    private static void putKeyValue(Map<String, String> map, String keyValue) {
        int eq = keyValue.indexOf('=');
        String k = eq < 0 ? keyValue : keyValue.substring(0, eq);
        if (!k.isEmpty()) {
            map.put(k, eq < 0 ? "" : keyValue.substring(eq + 1));
        }
    }

    /** One CSV record (Go's encoding/csv): fields split at commas, "quoted" fields may hold commas and "" quotes. */
    static List<String> csvFields(String line, String raw) {
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw mountFlag(raw, "extraneous or missing \" in quoted-field");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            f.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        f.append(c);
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw mountFlag(raw, "extraneous or missing \" in quoted-field");
                }
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    f.append(line.charAt(i++));
                }
            }
            fields.add(f.toString());
            f.setLength(0);
            if (i >= line.length()) {
                return fields;
            }
            i++; // the comma
        }
    }

    /** docker's RAMInBytes (step 2's MemorySize): 64m, 1.5g, 512KiB, 100 (bytes); -1 if it is not a size. */
    public static long ramInBytes(String size) {
        try {
            return MemorySize.parse("tmpfs-size", size);
        } catch (SpecException notASize) {
            return -1;
        }
    }

    // tag::check[]
    /** A mount being parsed, checked as the daemon checks one (validateMountConfig), with its messages. */
    private static final class Mount {
        String type = "volume";
        String source;
        String target;
        boolean readOnly;
        String propagation;
        boolean noCopy;
        boolean createSource;
        boolean recursive = true;
        String recursiveReadOnly = "auto";
        String driver;
        final Map<String, String> labels = new LinkedHashMap<>();
        final Map<String, String> options = new LinkedHashMap<>();
        long tmpfsSize;
        int tmpfsMode;
        final List<String> tmpfsWords = new ArrayList<>();
        boolean bindOptions, volumeOptions, tmpfsOptions;

        /** The kind of option that does not go with the type, or null. */
        String mixedOptions() {
            if (!type.equals("bind") && bindOptions) {
                return "bind";
            }
            if (!type.equals("volume") && volumeOptions) {
                return "volume";
            }
            if (!type.equals("tmpfs") && tmpfsOptions) {
                return "tmpfs";
            }
            return null;
        }

        MountRequest check(boolean bindSourceMustExist) {
            String mix = mixedOptions();
            if (mix != null) {
                throw config("field " + Character.toUpperCase(mix.charAt(0)) + mix.substring(1) + "Options must not be specified");
            }
            if (target == null || target.isEmpty()) {
                throw config("field Target must not be empty");
            }
            String clean = cleanPath(target);
            if (clean.equals("/")) {
                throw config("invalid specification: destination can't be '/'");
            }
            if (!target.startsWith("/")) {
                throw config("invalid mount path: '" + target + "' mount path must be absolute");
            }
            switch (type) {
                case "bind" -> {
                    if (source == null || source.isEmpty()) {
                        throw config("field Source must not be empty");
                    }
                    if (propagation != null && !PROPAGATIONS.contains(propagation)) {
                        throw config("invalid propagation mode: " + propagation);
                    }
                    if (!source.startsWith("/")) {
                        throw config("invalid mount path: '" + source + "' mount path must be absolute");
                    }
                    if (bindSourceMustExist && !createSource && !java.nio.file.Files.exists(java.nio.file.Path.of(source))) {
                        throw config("bind source path does not exist: " + source);
                    }
                    source = cleanPath(source);
                    if (propagation == null) {
                        propagation = "rprivate";
                    }
                }
                case "volume" -> {
                    if (source != null && source.isEmpty()) {
                        source = null;
                    }
                    if (source != null) {
                        VolumeStore.checkName(source);
                    }
                    if (driver != null && !driver.equals("local")) {
                        throw new JockerException("error looking up volume plugin " + driver + ": plugin \"" + driver
                                + "\" not found");
                    }
                }
                case "tmpfs" -> {
                    if (source != null && !source.isEmpty()) {
                        throw config("field Source must not be specified");
                    }
                }
                default -> throw config("mount type unknown");
            }
            return new MountRequest(type, source, clean, readOnly, propagation, noCopy, createSource, recursive,
                    recursiveReadOnly, labels, options, type.equals("tmpfs") ? tmpfsData() : null);
        }

        private List<String> tmpfsData() {
            List<String> data = new ArrayList<>(TMPFS_DEFAULTS);
            if (readOnly) {
                data.add("ro");
            }
            if (tmpfsMode != 0) {
                data.add("mode=" + Integer.toOctalString(tmpfsMode));
            }
            if (tmpfsSize != 0) {
                data.add("size=" + sizeWithSuffix(tmpfsSize));
            }
            data.addAll(tmpfsWords);
            return data;
        }

        private JockerException config(String message) {
            return new JockerException("invalid mount config for type \"" + type + "\": " + message);
        }
    }
    // end::check[]

    /** As docker writes a tmpfs size: the largest of g, m, k that divides it, else bytes. */
    static String sizeWithSuffix(long size) {
        for (String s : new String[] {"g", "m", "k"}) {
            long d = 1L << (10 * (3 - List.of("g", "m", "k").indexOf(s)));
            if (size % d == 0) {
                return size / d + s;
            }
        }
        return Long.toString(size);
    }

    /** Go's path.Clean for absolute and relative paths: no ., no .., no double or trailing slashes. */
    public static String cleanPath(String p) {
        boolean abs = p.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                } else if (!abs) {
                    out.add("..");
                }
                continue;
            }
            out.add(part);
        }
        String joined = String.join("/", out);
        return abs ? "/" + joined : joined.isEmpty() ? "." : joined;
    }
}

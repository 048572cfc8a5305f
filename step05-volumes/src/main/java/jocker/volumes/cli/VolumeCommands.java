package jocker.volumes.cli;

import jocker.cli.RootOption;
import jocker.storage.ContainerRecord;
import jocker.storage.Storage;
import jocker.storage.cli.StorageCommands;
import jocker.sys.JockerException;
import jocker.volumes.VolumeMounts;
import jocker.volumes.VolumeStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** docker's volume commands: volume create, ls, inspect, rm, prune; and rm -v for containers. */
public final class VolumeCommands {
    private VolumeCommands() {}

    @Command(name = "volume", description = "Manage volumes.",
            subcommands = {Create.class, Ls.class, Inspect.class, Remove.class, Prune.class})
    public static class Volume implements Callable<Integer> {
        @picocli.CommandLine.Spec
        CommandSpec self;

        @Override
        public Integer call() {
            self.commandLine().usage(self.commandLine().getOut());
            return 0;
        }
    }

    /** What every volume command shares: --root, the store, docker's exit code 1 for what it could not do. */
    abstract static class VolumeCommand implements Callable<Integer> {
        @picocli.CommandLine.Spec
        CommandSpec self;

        @Option(names = "--help", usageHelp = true, description = "Show this help.")
        boolean help;

        @Mixin
        RootOption root;

        /** The command; an error is docker's "Error: ..." line and exit code 1. */
        abstract int run() throws IOException;

        @Override
        public Integer call() throws IOException {
            try {
                return run();
            } catch (JockerException e) {
                return error(e.getMessage());
            }
        }

        VolumeStore store() throws IOException {
            return VolumeStore.open(root.dataRoot());
        }

        PrintWriter out() {
            return self.commandLine().getOut();
        }

        /** docker's way with an error about one of several volumes: say it, go on, exit 1 at the end. */
        int error(String message) {
            self.commandLine().getErr().println("Error: " + message);
            self.commandLine().getErr().flush();
            return 1;
        }
    }

    /** KEY=VALUE words into a map (a bare KEY has the value ""). */
    public static Map<String, String> keyValues(List<String> words, String flag) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq == 0) {
                throw new JockerException("invalid argument \"" + w + "\" for \"" + flag + "\" flag: invalid key=value");
            }
            map.put(eq < 0 ? w : w.substring(0, eq), eq < 0 ? "" : w.substring(eq + 1));
        }
        return map;
    }

    @Command(name = "create", description = "Create a volume (a random name if none is given).")
    public static class Create extends VolumeCommand {
        @Parameters(paramLabel = "VOLUME", arity = "0..1")
        String positional;

        @Option(names = "--name", paramLabel = "NAME", description = "The volume's name.")
        String name;

        @Option(names = {"-d", "--driver"}, paramLabel = "DRIVER", description = "The volume driver (local).")
        String driver = "local";

        @Option(names = {"-o", "--opt"}, paramLabel = "KEY=VALUE", description = "A driver option: type, device, o (as mount(8) takes them). Repeatable.")
        List<String> opts = new ArrayList<>();

        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label. Repeatable.")
        List<String> labels = new ArrayList<>();

        @Override
        int run() throws IOException {
            if (name != null && positional != null && !name.equals(positional)) {
                throw new JockerException("conflicting options: either specify --name or provide positional arg, not both");
            }
            String n = name != null ? name : positional;
            VolumeStore.Volume v = store().create(n, driver, keyValues(opts, "--opt"), keyValues(labels, "--label"),
                    false, null);
            out().println(v.name());
            return 0;
        }
    }

    @Command(name = "ls", aliases = "list", description = "List volumes.")
    public static class Ls extends VolumeCommand {
        @Option(names = {"-q", "--quiet"}, description = "Only the names.")
        boolean quiet;

        @Option(names = {"-f", "--filter"}, paramLabel = "KEY=VALUE", description = "dangling=true|false, name=PART, label=KEY[=VALUE], driver=local. Repeatable.")
        List<String> filters = new ArrayList<>();

        @Override
        int run() throws IOException {
            VolumeStore store = store();
            List<VolumeStore.Volume> shown = new ArrayList<>();
            for (VolumeStore.Volume v : store.list()) {
                if (matches(store, v, filters)) {
                    shown.add(v);
                }
            }
            shown.sort((a, b) -> natural(a.name(), b.name())); // as docker's CLI lists them: v2 before v10
            if (quiet) {
                shown.forEach(v -> out().println(v.name()));
                return 0;
            }
            // docker's tabwriter: columns at least 10 wide, 3 spaces after the widest
            int width = Math.max(10, shown.stream().mapToInt(v -> v.driver().length()).max().orElse(0) + 3);
            out().println(pad("DRIVER", width) + "VOLUME NAME");
            shown.forEach(v -> out().println(pad(v.driver(), width) + v.name()));
            return 0;
        }

        private static String pad(String s, int width) {
            return s + " ".repeat(Math.max(1, width - s.length()));
        }
    }

    /** Natural order (docker's CLI sorts volume names so): runs of digits compare as numbers, fewer leading zeros first. */
    public static int natural(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i), cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i, sj = j;
                while (si < a.length() && a.charAt(si) == '0') {
                    si++;
                }
                while (sj < b.length() && b.charAt(sj) == '0') {
                    sj++;
                }
                int ei = si, ej = sj;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                int c = Integer.compare(ei - si, ej - sj); // a longer number is a larger one
                if (c == 0) {
                    c = a.substring(si, ei).compareTo(b.substring(sj, ej));
                }
                if (c == 0) {
                    c = Integer.compare(si - i, sj - j);
                }
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    // tag::filters[]
    /** docker's volume filters: the same key given twice matches either value; different keys must all match. */
    static boolean matches(VolumeStore store, VolumeStore.Volume v, List<String> filters) throws IOException {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new JockerException("bad format of filter (expected name=value)");
            }
            byKey.computeIfAbsent(f.substring(0, eq).toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>())
                    .add(f.substring(eq + 1));
        }
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            boolean any = false;
            for (String value : e.getValue()) {
                any |= switch (e.getKey()) {
                    case "dangling" -> {
                        if (!List.of("true", "false", "1", "0").contains(value)) {
                            throw new JockerException("invalid filter 'dangling=" + value + "'");
                        }
                        yield store.users(v.name()).isEmpty() == (value.equals("true") || value.equals("1"));
                    }
                    case "name" -> v.name().contains(value);
                    case "driver" -> v.driver().equals(value);
                    case "label" -> {
                        int eq = value.indexOf('=');
                        yield eq < 0 ? v.labels().containsKey(value)
                                : value.substring(eq + 1).equals(v.labels().get(value.substring(0, eq)));
                    }
                    default -> throw new JockerException("invalid filter '" + e.getKey() + "'");
                };
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }
    // end::filters[]

    @Command(name = "inspect", description = "Show volumes as JSON.")
    public static class Inspect extends VolumeCommand {
        @Parameters(paramLabel = "VOLUME", arity = "1..*")
        List<String> names;

        @Override
        int run() throws IOException {
            VolumeStore store = store();
            List<Map<String, Object>> found = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String n : names) {
                VolumeStore.Volume v = store.find(n);
                if (v == null) {
                    missing.add(n);
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>(); // docker's fields only
                m.put("CreatedAt", v.createdAt());
                m.put("Driver", v.driver());
                m.put("Labels", v.labels());
                m.put("Mountpoint", v.mountpoint());
                m.put("Name", v.name());
                m.put("Options", v.options());
                m.put("Scope", v.scope());
                found.add(m);
            }
            String json = DockerJson.write(found);
            out().println(json);
            out().flush();
            int code = 0;
            for (String n : missing) {
                code = error("No such volume: " + n);
            }
            return code;
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Remove volumes (not one a container uses).")
    public static class Remove extends VolumeCommand {
        @Parameters(paramLabel = "VOLUME", arity = "1..*")
        List<String> names;

        @Option(names = {"-f", "--force"}, description = "No error for a volume that does not exist.")
        boolean force;

        @Override
        int run() throws IOException {
            VolumeStore store = store();
            int code = 0;
            for (String n : names) {
                try {
                    store.remove(n, force);
                    out().println(n);
                } catch (JockerException e) {
                    code = error(e.getMessage());
                }
            }
            return code;
        }
    }

    @Command(name = "prune", description = "Remove the anonymous volumes no container uses (-a: every unused volume).")
    public static class Prune extends VolumeCommand {
        @Option(names = {"-f", "--force"}, description = "Do not ask.")
        boolean force;

        @Option(names = {"-a", "--all"}, description = "Named volumes too.")
        boolean all;

        @Override
        int run() throws IOException {
            if (!force) {
                out().print("WARNING! This will remove " + (all ? "all" : "anonymous") + " local volumes not used by at"
                        + " least one container.\nAre you sure you want to continue? [y/N] ");
                out().flush();
                String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
                if (answer == null || !answer.strip().equalsIgnoreCase("y") && !answer.strip().equalsIgnoreCase("yes")) {
                    return 0;
                }
            }
            VolumeStore store = store();
            long bytes = 0;
            for (VolumeStore.Volume v : store.list()) {
                if ((all || v.anonymous()) && store.users(v.name()).isEmpty()) {
                    bytes += size(store.data(v));
                }
            }
            List<VolumeStore.Volume> removed = store.prune(all);
            if (!removed.isEmpty()) {
                out().println("Deleted Volumes:");
                removed.forEach(v -> out().println(v.name()));
                out().println();
            }
            out().println("Total reclaimed space: " + humanSize(bytes));
            return 0;
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    /** docker's HumanSize: decimal units, four significant digits (0B, 12.5kB, 1.049MB). */
    static String humanSize(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int i = 0;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        String n = new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        return n + units[i];
    }

    @Command(name = "rm", description = "Remove containers and their writable layers (-v: their anonymous volumes too).")
    public static class RmContainer extends StorageCommands.Rm {
        @Option(names = {"-v", "--volumes"}, description = "Remove the anonymous volumes of the containers.")
        boolean volumes;

        @Override
        protected void remove(Storage storage, ContainerRecord c) throws IOException {
            List<VolumeMounts.Entry> mounts = VolumeMounts.read(storage.containers().dir(c));
            super.remove(storage, c);
            if (volumes) {
                VolumeStore.open(root.dataRoot()).removeAnonymous(mounts, null);
            }
        }
    }
}

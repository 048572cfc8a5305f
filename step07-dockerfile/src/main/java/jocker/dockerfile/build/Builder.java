package jocker.dockerfile.build;

import jocker.dockerfile.DockerfileException;
import jocker.dockerfile.Lex;
import jocker.dockerfile.Node;
import jocker.dockerfile.Parser;
import jocker.image.Committer;
import jocker.image.Digest;
import jocker.image.ImageReference;
import jocker.image.Images;
import jocker.image.Platform;
import jocker.image.json.Descriptor;
import jocker.image.json.ImageConfig;
import jocker.image.store.ImageStore;
import jocker.layers.Scratch;
import jocker.storage.ContainerRecord;
import jocker.storage.MergedLayers;
import jocker.storage.Storage;
import jocker.sys.JockerException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * docker build, the classic builder's way: each instruction of the stages
 * the target needs makes one image on top of the last, RUN in a container
 * of the step's image whose changes become a layer, COPY and ADD a layer of
 * the files they copy, the others a new config only. A step whose parent
 * image, instruction and files are the same as a step built before is
 * that step's image again (the cache).
 */
public final class Builder {
    /**
     * What to build.
     *
     * @param pull pull every image by name (FROM, COPY --from) even if the store has it
     * @param run  starts a container: the step's own run command, given its words; returns the exit code
     */
    public record Options(Path context, Path dockerfile, List<ImageReference> tags, Map<String, String> buildArgs,
                          String target, boolean noCache, boolean pull, boolean quiet, Path iidfile, String network,
                          Map<String, String> labels, Function<List<String>, Integer> run) {
    }

    /** The proxy variables docker passes to RUN without a declared ARG, and leaves out of the history. */
    static final Set<String> PROXY_ARGS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY",
            "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    private final Path dataRoot;
    private final PrintWriter out;
    private final Images images;
    private final BuildCache cache;
    private Options options;
    private BuildContext context;
    private final Set<String> usedArgs = new LinkedHashSet<>();

    public Builder(Path dataRoot, PrintWriter out) throws IOException {
        this.dataRoot = dataRoot;
        this.out = out;
        this.images = Images.open(dataRoot);
        this.cache = new BuildCache(dataRoot.resolve("build-cache"));
    }

    /** A stage: its name, its FROM, its instructions. */
    record Stage(String name, int index, Node from, String base, List<Node> instructions) {
    }

    /** Where a stage stands: its image so far (null before any for scratch), its variables. */
    private static final class State {
        ImageStore.Image image;
        ImageConfig config;
        final Map<String, String> args = new LinkedHashMap<>();
        List<String> shell = List.of("/bin/sh", "-c");
        /** a CMD of this stage: ENTRYPOINT then leaves it (one from the base image it resets, as docker does) */
        boolean cmdSet;
    }

    // tag::build[]
    /** Builds the target (the last stage, or --target) and the stages it needs; returns the image id. */
    public Digest build(Options o) throws IOException {
        options = o;
        Path dockerfile = o.dockerfile() != null ? o.dockerfile() : o.context().resolve("Dockerfile");
        if (!Files.isRegularFile(dockerfile)) {
            throw new JockerException("Cannot locate specified Dockerfile: " + o.context().relativize(
                    dockerfile.toAbsolutePath()).toString().replace("../", ""));
        }
        Parser.Result parsed = Parser.parse(Files.readString(dockerfile, StandardCharsets.UTF_8));
        context = BuildContext.open(o.context());
        if (!o.quiet()) {
            out.println("Sending build context to Docker daemon  " + BuildContext.humanSize(context.tarSize()));
        }
        Map<String, String> metaArgs = new LinkedHashMap<>();
        List<Node> metaNodes = new ArrayList<>();
        List<Stage> stages = stages(parsed, metaArgs, metaNodes);
        Stage target = targetStage(stages);
        Set<Integer> needed = new LinkedHashSet<>();
        need(stages, target, needed);
        int total = metaNodes.size();
        for (Stage s : stages) {
            if (needed.contains(s.index())) {
                total += 1 + s.instructions().size();
            }
        }
        Map<Integer, ImageStore.Image> built = new LinkedHashMap<>();
        int step = 0;
        for (Node n : metaNodes) {
            step++;
            say("Step " + step + "/" + total + " : " + n.original());
        }
        ImageStore.Image last = null;
        Lex lex = new Lex(parsed.escape());
        for (Stage s : stages) {
            if (!needed.contains(s.index())) {
                continue;
            }
            State state = new State();
            step++;
            say("Step " + step + "/" + total + " : " + s.from().original());
            from(state, s, stages, built);
            say(" ---> " + (state.image == null ? "" : state.image.id().hex().substring(0, 12)));
            triggers(state, lex, metaArgs, stages, built, parsed.escape());
            for (Node n : s.instructions()) {
                step++;
                say("Step " + step + "/" + total + " : " + n.original());
                instruction(state, n, lex, metaArgs, stages, built, parsed.escape());
            }
            if (state.image == null) {
                state.image = commitConfig(state, state.config, "", true); // FROM scratch and nothing else
            }
            built.put(s.index(), state.image);
            last = state.image;
        }
        for (String arg : o.buildArgs().keySet()) {
            if (!usedArgs.contains(arg) && !PROXY_ARGS.contains(arg)) {
                out.println("[Warning] One or more build-args [" + arg + "] were not consumed");
            }
        }
        if (!o.labels().isEmpty()) {
            ImageConfig.ContainerConfig c = withLabels(last.config().config(), o.labels());
            State s = new State();
            s.image = last;
            s.config = last.config();
            last = commitConfig(s, config(last.config(), c), "", true);
        }
        String id = last.id().hex();
        if (o.quiet()) {
            out.println(last.id());
        } else {
            say("Successfully built " + id.substring(0, 12));
        }
        for (ImageReference t : o.tags()) {
            images.store().add(last.manifestDescriptor(), List.of(t));
            if (!o.quiet()) {
                say("Successfully tagged " + t.familiar());
            }
        }
        if (o.iidfile() != null) {
            Files.writeString(o.iidfile(), last.id().toString());
        }
        out.flush();
        return last.id();
    }
    // end::build[]

    private void say(String line) {
        if (!options.quiet()) {
            out.println(line);
            out.flush();
        }
    }

    /** The stages, each from its FROM; the ARGs before the first FROM are the meta args (for FROM lines). */
    private List<Stage> stages(Parser.Result parsed, Map<String, String> metaArgs, List<Node> metaNodes) {
        List<Stage> stages = new ArrayList<>();
        Lex lex = new Lex(parsed.escape());
        Node from = null;
        List<Node> body = null;
        for (Node n : parsed.instructions()) {
            String cmd = n.command();
            check(n);
            if (cmd.equals("from")) {
                if (from != null) {
                    stages.add(stage(from, body, stages.size(), lex, metaArgs));
                }
                from = n;
                body = new ArrayList<>();
            } else if (from == null) {
                if (!cmd.equals("arg")) {
                    throw new DockerfileException(n.startLine(), "no build stage in current context");
                }
                metaNodes.add(n);
                for (String a : n.values()) {
                    int eq = a.indexOf('=');
                    String name = eq < 0 ? a : a.substring(0, eq);
                    String value = options.buildArgs().containsKey(name) ? options.buildArgs().get(name)
                            : eq < 0 ? null : lex.processWord(a.substring(eq + 1), metaArgs);
                    if (options.buildArgs().containsKey(name)) {
                        usedArgs.add(name);
                    }
                    if (value != null) {
                        metaArgs.put(name, value);
                    }
                }
            } else {
                body.add(n);
            }
        }
        if (from == null) {
            throw new JockerException("no build stage in current context");
        }
        stages.add(stage(from, body, stages.size(), lex, metaArgs));
        return stages;
    }

    private static Stage stage(Node from, List<Node> body, int index, Lex lex, Map<String, String> metaArgs) {
        List<String> v = from.values();
        if (v.size() != 1 && v.size() != 3) {
            throw new DockerfileException(from.startLine(), "FROM requires either one or three arguments");
        }
        String name = null;
        if (v.size() == 3) {
            if (!v.get(1).equalsIgnoreCase("as")) {
                throw new DockerfileException(from.startLine(), "FROM requires either one or three arguments");
            }
            name = v.get(2).toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z][a-z0-9-_.]*")) {
                throw new DockerfileException(from.startLine(), "invalid name for build stage: \"" + v.get(2)
                        + "\", name can't start with a number or contain symbols");
            }
        }
        String base = lex.processWord(v.get(0), metaArgs);
        if (base.isEmpty()) {
            throw new DockerfileException(from.startLine(), "base name (" + v.get(0) + ") should not be blank");
        }
        return new Stage(name, index, from, base, body);
    }

    /** Instructions the builder knows, with the words each needs. */
    private static void check(Node n) {
        Set<String> known = Set.of("from", "run", "cmd", "label", "maintainer", "expose", "env", "add", "copy",
                "entrypoint", "volume", "user", "workdir", "arg", "onbuild", "stopsignal", "healthcheck", "shell");
        if (!known.contains(n.command())) {
            throw new DockerfileException(n.startLine(), "unknown instruction: " + n.keyword().toUpperCase(Locale.ROOT));
        }
        int count = n.args().size();
        switch (n.command()) {
            case "env", "label" -> {
                if (count == 0) {
                    throw new DockerfileException(n.startLine(), n.keyword().toUpperCase(Locale.ROOT)
                            + " requires at least one argument");
                }
            }
            case "add", "copy" -> {
                if (count < 2) {
                    throw new DockerfileException(n.startLine(), n.keyword().toUpperCase(Locale.ROOT)
                            + " requires at least two arguments, but only " + count + " provided");
                }
            }
            case "workdir", "user", "stopsignal", "maintainer" -> {
                if (count != 1) {
                    throw new DockerfileException(n.startLine(), n.keyword().toUpperCase(Locale.ROOT)
                            + " requires exactly one argument");
                }
            }
            case "run", "cmd", "entrypoint", "expose", "volume", "arg", "shell" -> {
                if (count == 0 && !n.json() && !n.command().equals("cmd") && !n.command().equals("entrypoint")) {
                    throw new DockerfileException(n.startLine(), n.keyword().toUpperCase(Locale.ROOT)
                            + " requires at least one argument");
                }
            }
            default -> { }
        }
    }

    private Stage targetStage(List<Stage> stages) {
        if (options.target() == null) {
            return stages.get(stages.size() - 1);
        }
        for (Stage s : stages) {
            if (options.target().equalsIgnoreCase(s.name())) {
                return s;
            }
        }
        throw new JockerException("failed to reach build target " + options.target() + " in Dockerfile");
    }

    /** The stage and every earlier stage it takes from (FROM a stage, COPY --from=a stage). */
    private void need(List<Stage> stages, Stage s, Set<Integer> needed) {
        if (!needed.add(s.index())) {
            return;
        }
        Stage base = byName(stages, s.base(), s.index());
        if (base != null) {
            need(stages, base, needed);
        }
        for (Node n : s.instructions()) {
            String from = flag(n, "from");
            if (from != null && (n.command().equals("copy") || n.command().equals("add"))) {
                Stage dep = byName(stages, from, s.index());
                if (dep != null) {
                    need(stages, dep, needed);
                }
            }
        }
    }

    /** An earlier stage by name or index, or null (then it names an image). */
    private static Stage byName(List<Stage> stages, String ref, int before) {
        for (Stage s : stages) {
            if (s.index() < before && (ref.equalsIgnoreCase(s.name()) || ref.equals(String.valueOf(s.index())))) {
                return s;
            }
        }
        return null;
    }

    static String flag(Node n, String name) {
        for (String f : n.flags()) {
            if (f.startsWith("--" + name + "=")) {
                return f.substring(name.length() + 3);
            }
        }
        return null;
    }

    // tag::from[]
    /** FROM: an earlier stage's image, scratch (nothing), or an image, pulled if missing. */
    private void from(State state, Stage s, List<Stage> stages, Map<Integer, ImageStore.Image> built) throws IOException {
        Stage base = byName(stages, s.base(), s.index());
        if (base != null) {
            state.image = built.get(base.index());
        } else if (s.base().equals("scratch")) {
            Platform p = Platform.current();
            state.config = new ImageConfig(null, null, p.architecture(), p.os(), p.variant(),
                    ImageConfig.ContainerConfig.EMPTY, new ImageConfig.RootFs("layers", List.of()), List.of());
        } else {
            state.image = image(s.base());
        }
        if (state.image != null) {
            state.config = state.image.config();
        }
        ImageConfig.ContainerConfig c = state.config.config();
        if (!envMap(c.env()).containsKey("PATH")) {
            // docker's builder commits containers, whose config has a PATH if the image had none
            List<String> env = new ArrayList<>(List.of("PATH=" + DEFAULT_PATH));
            env.addAll(c.env() == null ? List.of() : c.env());
            state.config = config(state.config, new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), env,
                    c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(),
                    c.onBuild()));
        }
    }
    // end::from[]

    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /**
     * An image by name, pulled as run pulls it if it is missing; with --pull
     * pulled always (a newer image under the same tag is then used), and an
     * image only the store has (imported, built) is an error, as in docker.
     */
    private ImageStore.Image image(String name) throws IOException {
        if (!options.pull()) {
            try {
                return images.store().resolve(name);
            } catch (ImageStore.NoSuchImage e) {
                // pulled below
            }
        }
        int code = options.run().apply(List.of("pull", name));
        if (code != 0) {
            throw new JockerException("pull access denied for " + name + ", or it does not exist");
        }
        return images.store().resolve(name);
    }

    // tag::instruction[]
    /** One instruction on top of the state: from the cache if it was built before, else for real. */
    private void instruction(State state, Node n, Lex lex, Map<String, String> metaArgs, List<Stage> stages,
                             Map<Integer, ImageStore.Image> built, char escape) throws IOException {
        Map<String, String> vars = variables(state);
        ImageConfig.ContainerConfig c = state.config.config();
        switch (n.command()) {
            case "arg" -> {
                for (String a : n.values()) {
                    int eq = a.indexOf('=');
                    String name = eq < 0 ? a : a.substring(0, eq);
                    String value;
                    if (options.buildArgs().containsKey(name)) {
                        value = options.buildArgs().get(name);
                        usedArgs.add(name);
                    } else if (eq >= 0) {
                        value = lex.processWord(a.substring(eq + 1), vars);
                    } else {
                        value = metaArgs.get(name); // ARG NAME after FROM takes the meta arg's value
                    }
                    state.args.put(name, value);
                }
                metadata(state, n, c, " ARG " + String.join(" ", n.values()));
            }
            case "env" -> {
                Map<String, String> env = envMap(c.env());
                List<String> v = n.values();
                StringBuilder shown = new StringBuilder();
                for (int i = 0; i + 2 < v.size() + 1; i += 3) {
                    String key = lex.processWord(v.get(i), vars);
                    String value = lex.processWord(v.get(i + 1), vars);
                    env.remove(key);
                    env.put(key, value);
                    vars.put(key, value);
                    shown.append(shown.length() == 0 ? "" : " ").append(key).append('=').append(value);
                }
                metadata(state, n, new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), envList(env),
                        c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild()),
                        " ENV " + shown);
            }
            case "label" -> {
                Map<String, String> labels = new LinkedHashMap<>();
                List<String> v = n.values();
                StringBuilder shown = new StringBuilder();
                for (int i = 0; i + 2 < v.size() + 1; i += 3) {
                    String key = lex.processWord(v.get(i), vars);
                    String value = lex.processWord(v.get(i + 1), vars);
                    labels.put(key, value);
                    shown.append(shown.length() == 0 ? "" : " ").append(key).append('=').append(value);
                }
                metadata(state, n, withLabels(c, labels), " LABEL " + shown);
            }
            case "maintainer" -> {
                ImageConfig next = new ImageConfig(state.config.created(), n.values().get(0), state.config.architecture(),
                        state.config.os(), state.config.variant(), c, state.config.rootfs(), state.config.history());
                state.config = next;
                metadata(state, n, c, " MAINTAINER " + n.values().get(0));
            }
            case "workdir" -> {
                String dir = lex.processWord(n.values().get(0), vars);
                String wd = dir.startsWith("/") ? dir : (c.workingDir() == null || c.workingDir().isEmpty() ? "/"
                        : c.workingDir()) + "/" + dir;
                wd = DockerIgnore.clean(wd);
                workdir(state, n, new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(),
                        c.cmd(), c.volumes(), wd, c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild()), wd);
            }
            case "user" -> metadata(state, n, new ImageConfig.ContainerConfig(lex.processWord(n.values().get(0), vars),
                    c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(), c.labels(),
                    c.stopSignal(), c.healthcheck(), c.onBuild()), " USER " + lex.processWord(n.values().get(0), vars));
            case "stopsignal" -> metadata(state, n, new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(),
                    c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(), c.labels(),
                    lex.processWord(n.values().get(0), vars), c.healthcheck(), c.onBuild()), " STOPSIGNAL " + lex.processWord(n.values().get(0), vars));
            case "expose" -> {
                Map<String, Object> ports = new TreeMap<>(c.exposedPorts() == null ? Map.of() : c.exposedPorts());
                List<String> shown = new ArrayList<>();
                for (String p : n.values()) {
                    String port = lex.processWord(p, vars);
                    String key = port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp";
                    ports.put(key, Map.of());
                    shown.add(port);
                }
                java.util.Collections.sort(shown); // docker's history shows the words sorted
                metadata(state, n, new ImageConfig.ContainerConfig(c.user(), ports, c.env(), c.entrypoint(), c.cmd(),
                        c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild()),
                        " EXPOSE " + String.join(" ", shown));
            }
            case "volume" -> {
                Map<String, Object> vols = new TreeMap<>(c.volumes() == null ? Map.of() : c.volumes());
                List<String> shown = new ArrayList<>();
                for (String v : n.values()) {
                    String path = lex.processWord(v, vars);
                    if (path.isBlank()) {
                        throw new DockerfileException(n.startLine(), "VOLUME specified can not be an empty string");
                    }
                    vols.put(path, Map.of());
                    shown.add(path);
                }
                metadata(state, n, new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(),
                        c.cmd(), vols, c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild()),
                        " VOLUME [" + String.join(" ", shown) + "]");
            }
            case "cmd" -> {
                state.cmdSet = true;
                metadata(state, n, new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(),
                        c.entrypoint(), command(state, n), c.volumes(), c.workingDir(), c.labels(), c.stopSignal(),
                        c.healthcheck(), c.onBuild()), " CMD " + goList(command(state, n)));
            }
            case "entrypoint" -> metadata(state, n, new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(),
                    command(state, n), state.cmdSet ? c.cmd() : null, c.volumes(), c.workingDir(), c.labels(),
                    c.stopSignal(), c.healthcheck(), c.onBuild()), " ENTRYPOINT " + goList(command(state, n)));
            case "shell" -> {
                if (!n.json()) {
                    throw new DockerfileException(n.startLine(), "SHELL requires the arguments to be in JSON form");
                }
                state.shell = n.values();
                metadata(state, n, c, " SHELL " + goList(n.values()));
            }
            case "onbuild" -> {
                String trigger = onBuildTrigger(n);
                List<String> triggers = new ArrayList<>(c.onBuild() == null ? List.of() : c.onBuild());
                triggers.add(trigger);
                metadata(state, n, new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(),
                        c.cmd(), c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), triggers),
                        " ONBUILD " + trigger);
            }
            case "healthcheck" -> {
                ImageConfig.HealthConfig health = Healthcheck.of(n);
                metadata(state, n, new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(),
                        c.cmd(), c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), health, c.onBuild()),
                        " HEALTHCHECK " + Healthcheck.shown(health));
            }
            case "run" -> run(state, n, vars);
            case "copy", "add" -> copy(state, n, lex, vars, stages, built);
            default -> throw new DockerfileException(n.startLine(), "unknown instruction: " + n.keyword());
        }
    }
    // end::instruction[]

    /** ONBUILD's trigger, as the image keeps it: the instruction's text after ONBUILD; FROM and ONBUILD refused. */
    private static String onBuildTrigger(Node n) {
        if (n.args().isEmpty() || n.args().get(0).child() == null) {
            throw new DockerfileException(n.startLine(), "ONBUILD requires at least one argument");
        }
        Node trigger = n.args().get(0).child();
        switch (trigger.command()) {
            case "onbuild" -> throw new DockerfileException(n.startLine(), "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "from", "maintainer" -> throw new DockerfileException(n.startLine(), trigger.keyword().toUpperCase(Locale.ROOT)
                    + " isn't allowed as an ONBUILD trigger");
            default -> { }
        }
        return n.original().trim().replaceFirst("(?i)^ONBUILD\\s*", "");
    }

    // tag::triggers[]
    /**
     * A base image's ONBUILD triggers run right after the FROM of the build
     * that uses it, as if written there, and are not passed on further.
     */
    private void triggers(State state, Lex lex, Map<String, String> metaArgs, List<Stage> stages,
                          Map<Integer, ImageStore.Image> built, char escape) throws IOException {
        List<String> triggers = state.config.config().onBuild();
        if (triggers == null || triggers.isEmpty()) {
            return;
        }
        say("# Executing " + triggers.size() + " build trigger" + (triggers.size() > 1 ? "s" : ""));
        ImageConfig.ContainerConfig c = state.config.config();
        state.config = config(state.config, new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(),
                c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), null));
        for (String t : triggers) {
            for (Node n : Parser.parse(t).instructions()) {
                check(n);
                instruction(state, n, lex, metaArgs, stages, built, escape);
            }
        }
    }
    // end::triggers[]

    /** The variables a step's words expand with: the stage's ARGs, then its ENV (which wins). */
    private static Map<String, String> variables(State state) {
        Map<String, String> vars = new LinkedHashMap<>();
        state.args.forEach((k, v) -> {
            if (v != null) {
                vars.put(k, v);
            }
        });
        vars.putAll(envMap(state.config.config().env()));
        return vars;
    }

    /** CMD/ENTRYPOINT: the JSON form as it is, the shell form under the stage's SHELL. */
    private static List<String> command(State state, Node n) {
        if (n.json()) {
            return n.values();
        }
        if (n.args().isEmpty()) {
            return null;
        }
        List<String> cmd = new ArrayList<>(state.shell);
        cmd.add(n.values().get(0));
        return cmd;
    }

    /** Go's %q of a string slice would quote; docker's history shows ["a" "b"]. */
    private static String goList(List<String> l) {
        if (l == null) {
            return "[]";
        }
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) {
            s.append(i == 0 ? "" : " ").append(jocker.dockerfile.GoQuote.quote(l.get(i)));
        }
        return s.append(']').toString();
    }

    // tag::metadata[]
    /** A step that changes the config only: a new image with the same layers, its history entry empty_layer. */
    private void metadata(State state, Node n, ImageConfig.ContainerConfig next, String shown) throws IOException {
        String key = BuildCache.key(parent(state), n.command(), shown, "");
        if (hit(state, key)) {
            return;
        }
        ImageConfig config = config(state.config, next);
        state.image = commitConfig(state, config, "/bin/sh -c #(nop) " + shown, true);
        state.config = state.image.config();
        cache.put(key, state.image.id());
        say(" ---> " + state.image.id().hex().substring(0, 12));
    }
    // end::metadata[]

    /** WORKDIR: the config's, and the directory made (in a layer of its own) if the image does not have it. */
    private void workdir(State state, Node n, ImageConfig.ContainerConfig next, String wd) throws IOException {
        boolean exists = state.image != null
                && MergedLayers.of(images.layersOf(state.image)).entry(wd.substring(1)) != null;
        if (exists || wd.equals("/")) {
            metadata(state, n, next, "WORKDIR " + wd);
            return;
        }
        String key = BuildCache.key(parent(state), n.command(), "WORKDIR " + wd, "mkdir");
        if (hit(state, key)) {
            return;
        }
        Path layerDir = Scratch.directory(images.store().scratch(), "workdir");
        Path tar = Scratch.file(images.store().scratch(), "workdir", ".tar");
        try (Images.Additions adds = images.begin()) {
            Files.createDirectories(layerDir.resolve(wd.substring(1)));
            try (OutputStream o = Files.newOutputStream(tar)) {
                jocker.image.layers.LayerPacker.pack(layerDir, o);
            }
            Images.AddedLayer layer = images.addLayer(tar, null, adds, "workdir layer");
            state.config = config(state.config, next);
            state.image = commitLayer(state, layer, adds, "/bin/sh -c #(nop) WORKDIR " + wd);
        } finally {
            Files.deleteIfExists(tar);
            jocker.layers.TreeCopy.deleteTree(layerDir);
        }
        state.config = state.image.config();
        cache.put(key, state.image.id());
        say(" ---> " + state.image.id().hex().substring(0, 12));
    }

    private static String parent(State state) {
        return state.image == null ? "scratch" : state.image.id().toString();
    }

    /** Whether the cache has this step: then the state moves to its image, and the output says so. */
    private boolean hit(State state, String key) throws IOException {
        if (options.noCache()) {
            return false;
        }
        Digest id = cache.get(key);
        if (id == null) {
            return false;
        }
        try {
            state.image = images.store().resolve(id.toString());
        } catch (ImageStore.NoSuchImage e) {
            return false;
        }
        state.config = state.image.config();
        say(" ---> Using cache");
        say(" ---> " + id.hex().substring(0, 12));
        return true;
    }

    private static ImageConfig config(ImageConfig old, ImageConfig.ContainerConfig next) {
        return new ImageConfig(old.created(), old.author(), old.architecture(), old.os(), old.variant(), next,
                old.rootfs(), old.history());
    }

    /** The image of a config on the state's layers, with one more history entry (no new layer). */
    private ImageStore.Image commitConfig(State state, ImageConfig config, String createdBy, boolean empty)
            throws IOException {
        List<ImageConfig.History> history = new ArrayList<>(config.history());
        String now = Instant.now().toString();
        if (!createdBy.isEmpty()) {
            history.add(new ImageConfig.History(now, createdBy, null, null, empty ? Boolean.TRUE : null));
        }
        ImageConfig c = new ImageConfig(now, config.author(), config.architecture(), config.os(), config.variant(),
                config.config(), config.rootfs() == null ? new ImageConfig.RootFs("layers", List.of()) : config.rootfs(),
                history);
        try (Images.Additions adds = images.begin()) {
            return images.register(c, layers(state), List.of(), adds);
        }
    }

    private static List<Descriptor> layers(State state) {
        List<Descriptor> out = new ArrayList<>();
        if (state.image != null) {
            for (Descriptor d : state.image.manifest().layers()) {
                out.add(Descriptor.of(Committer.ociLayerType(d.mediaType()), d.digest(), d.size()));
            }
        }
        return out;
    }

    /** The image of the state plus one layer (a tar), with its history entry. */
    private ImageStore.Image commitLayer(State state, Images.AddedLayer layer, Images.Additions adds, String createdBy)
            throws IOException {
        ImageConfig old = state.config;
        List<Digest> diffIds = new ArrayList<>(old.diffIds());
        diffIds.add(layer.diffId());
        List<ImageConfig.History> history = new ArrayList<>(old.history());
        String now = Instant.now().toString();
        history.add(new ImageConfig.History(now, createdBy, null, null, null));
        ImageConfig c = new ImageConfig(now, old.author(), old.architecture(), old.os(), old.variant(), old.config(),
                new ImageConfig.RootFs("layers", diffIds), history);
        List<Descriptor> ls = layers(state);
        ls.add(layer.blob());
        return images.register(c, ls, List.of(), adds);
    }

    // tag::run[]
    /**
     * RUN: a container of the step's image runs the command (the shell form
     * under SHELL), with the stage's ARGs in its environment; what it
     * changed is committed as a layer, and the container removed.
     */
    private void run(State state, Node n, Map<String, String> vars) throws IOException {
        if (state.image == null) {
            throw new JockerException("The command '" + String.join(" ", command(state, n)) + "' cannot run: FROM scratch has no"
                    + " files to run it with");
        }
        List<String> cmd = n.json() ? n.values() : new ArrayList<>(state.shell);
        if (!n.json()) {
            cmd.add(n.values().get(0));
        }
        List<String> argEnv = new ArrayList<>();
        Map<String, String> envOfImage = envMap(state.config.config().env());
        state.args.forEach((k, v) -> {
            if (v != null && !envOfImage.containsKey(k)) {
                argEnv.add(k + "=" + v);
            }
        });
        for (String p : PROXY_ARGS) {
            if (options.buildArgs().containsKey(p) && !state.args.containsKey(p)) {
                argEnv.add(p + "=" + options.buildArgs().get(p));
            }
        }
        String createdBy = (argEnv.isEmpty() ? "" : "|" + argEnv.size() + " " + String.join(" ", argEnv) + " ")
                + String.join(" ", cmd);
        String key = BuildCache.key(parent(state), "run", createdBy, options.network());
        if (hit(state, key)) {
            return;
        }
        String name = "jocker-build-" + HexFormat.of().formatHex(random(6));
        List<String> words = new ArrayList<>(List.of("run", "--name", name, "--entrypoint", "",
                "--network", options.network()));
        for (String e : argEnv) {
            words.addAll(List.of("-e", e));
        }
        words.add(state.image.id().toString());
        words.addAll(cmd);
        out.flush();
        Storage storage = Storage.open(dataRoot);
        int code = runSayingItsId(words, storage, name);
        ContainerRecord container;
        try {
            container = storage.containers().find(name);
        } catch (JockerException e) {
            throw new JockerException("The command '" + String.join(" ", cmd) + "' could not be started");
        }
        try {
            if (code != 0) {
                throw new JockerException("The command '" + String.join(" ", cmd) + "' returned a non-zero code: " + code);
            }
            try (Images.Additions adds = images.begin()) {
                Images.AddedLayer layer = Committer.containerLayer(images, storage, container, state.image, adds);
                state.image = commitLayer(state, layer, adds, createdBy);
            }
        } finally {
            storage.containers().remove(container);
            say("Removing intermediate container " + container.shortId());
        }
        state.config = state.image.config();
        cache.put(key, state.image.id());
        say(" ---> " + state.image.id().hex().substring(0, 12));
    }
    // end::run[]

    /**
     * Runs the step's container on a thread of its own, and says " ---> Running
     * in ID" as soon as the container is in the store, before its command's
     * output (the init takes longer to boot than the store takes to be written).
     */
    private int runSayingItsId(List<String> words, Storage storage, String name) throws IOException {
        java.util.concurrent.CompletableFuture<Integer> run = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> options.run().apply(words));
        boolean said = false;
        while (!said && !run.isDone()) {
            try {
                say(" ---> Running in " + storage.containers().find(name).shortId());
                said = true;
            } catch (JockerException | IOException e) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        int code = run.join();
        if (!said) {
            try {
                say(" ---> Running in " + storage.containers().find(name).shortId());
            } catch (JockerException e) {
                // it never got made: the caller says so
            }
        }
        return code;
    }

    // tag::copy[]
    /**
     * COPY and ADD: the sources (wildcards allowed) from the context, or
     * from an earlier stage or an image with --from, into a layer of their
     * own at the destination, owned by --chown (root otherwise), with
     * --chmod's mode if given. ADD unpacks a local tar archive. The cache
     * key holds the digest of every file copied.
     */
    private void copy(State state, Node n, Lex lex, Map<String, String> vars, List<Stage> stages,
                      Map<Integer, ImageStore.Image> built) throws IOException {
        boolean add = n.command().equals("add");
        List<String> words = new ArrayList<>();
        for (String v : n.values()) {
            words.add(lex.processWord(v, vars));
        }
        String dest = words.remove(words.size() - 1);
        String from = flag(n, "from");
        String chown = flag(n, "chown");
        String chmod = flag(n, "chmod");
        String checksum = flag(n, "checksum");
        for (String f : n.flags()) {
            // --link: the layer is only the copied files already; --parents and --exclude are the labs syntax's
            String name = f.replaceAll("^--([a-z-]+).*", "$1");
            if (!Set.of("from", "chown", "chmod", "link").contains(name) && !(add && name.equals("checksum"))) {
                throw new DockerfileException(n.startLine(), "unknown flag: " + name);
            }
        }
        if (add && from != null) {
            throw new DockerfileException(n.startLine(), "ADD --from is not supported: use COPY --from");
        }
        if (checksum != null && (words.size() != 1 || !words.get(0).matches("https?://.*"))) {
            throw new JockerException("checksum can't be specified for non-HTTP(S) sources");
        }
        if (checksum != null && !checksum.matches("sha256:[0-9a-f]{64}")) {
            throw new JockerException("invalid checksum digest format: " + checksum);
        }
        Sources sources = from == null ? context.sources(words, add) : stageSources(from, words, stages, built, state);
        if (checksum != null) {
            verify(checksum, sources.files().get(0).path());
        }
        String wd = state.config.config().workingDir();
        String target = dest.startsWith("/") ? dest : (wd == null || wd.isEmpty() ? "/" : wd) + "/" + dest;
        boolean toDir = dest.endsWith("/") || sources.files().size() > 1 || sources.anyDirectory()
                || isDirectoryInImage(state, target); // COPY file . (the workdir is a directory)
        Integer[] owner = chown == null ? new Integer[] {0, 0} : Owners.parse(chown, state.image == null ? null
                : MergedLayers.of(images.layersOf(state.image)));
        Integer mode = chmod == null ? null : Integer.parseInt(chmod, 8);
        String shown = (chown == null ? "" : "--chown=" + chown) + (sources.anyDirectory() ? "dir:" : "file:")
                + sources.digest() + " in " + dest + " ";
        String key = BuildCache.key(parent(state), n.command(), shown + String.join(",", n.flags()), "");
        if (hit(state, key)) {
            removeTemps(sources);
            return;
        }
        Path layerDir = Scratch.directory(images.store().scratch(), "copy");
        try {
            Path base = layerDir.resolve(DockerIgnore.clean(target).substring(1));
            for (Sources.Source s : sources.files()) {
                Path to = s.directory() ? base : toDir ? base.resolve(s.name()) : base;
                if (add && s.archive()) {
                    Archives.extract(s.path(), base);
                } else {
                    Files.createDirectories(to.getParent());
                    Copier.copy(s.path(), to, owner[0], owner[1], mode);
                }
            }
            Copier.parents(layerDir, base);
            if (chown != null && toDir && Files.isDirectory(base) && !inImage(state, target)) {
                Files.setAttribute(base, "unix:uid", owner[0]);
                Files.setAttribute(base, "unix:gid", owner[1]);
            }
            Path tar = Scratch.file(images.store().scratch(), "copy", ".tar");
            try (Images.Additions adds = images.begin()) {
                try (OutputStream o = Files.newOutputStream(tar)) {
                    jocker.image.layers.LayerPacker.pack(layerDir, o);
                }
                Images.AddedLayer layer = images.addLayer(tar, null, adds, n.command() + " layer");
                state.image = commitLayer(state, layer, adds, "/bin/sh -c #(nop) " + n.keyword().toUpperCase(Locale.ROOT)
                        + " " + shown);
            } finally {
                Files.deleteIfExists(tar);
            }
        } finally {
            jocker.layers.TreeCopy.deleteTree(layerDir);
            removeTemps(sources);
        }
        state.config = state.image.config();
        cache.put(key, state.image.id());
        say(" ---> " + state.image.id().hex().substring(0, 12));
    }
    // end::copy[]

    /** ADD --checksum=sha256:HEX URL: the fetched file's digest must be that one. */
    private static void verify(String checksum, Path file) throws IOException {
        java.security.MessageDigest d = Digest.sha256();
        try (java.io.InputStream in = Files.newInputStream(file)) {
            in.transferTo(new java.security.DigestOutputStream(OutputStream.nullOutputStream(), d));
        }
        String got = "sha256:" + Digest.of(d).hex();
        if (!got.equals(checksum)) {
            throw new JockerException("digest mismatch " + got + ": " + checksum);
        }
    }

    /** The copies a COPY's sources needed (a context directory less its ignored files, a stage's directory). */
    private void removeTemps(Sources sources) throws IOException {
        if (sources.temp() != null) {
            jocker.layers.TreeCopy.deleteTree(sources.temp());
        }
        for (Path p : context.temps) {
            jocker.layers.TreeCopy.deleteTree(p);
        }
        context.temps.clear();
    }

    /** Whether the image has a directory at this absolute path. */
    private boolean isDirectoryInImage(State state, String path) throws IOException {
        if (state.image == null) {
            return false;
        }
        Path p = MergedLayers.of(images.layersOf(state.image)).entry(DockerIgnore.clean(path).substring(1));
        return p != null && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether the image has something at this absolute path. */
    private boolean inImage(State state, String path) throws IOException {
        return state.image != null && MergedLayers.of(images.layersOf(state.image))
                .entry(DockerIgnore.clean(path).substring(1)) != null;
    }

    /** COPY --from: the files of an earlier stage's image, or of an image by name. */
    private Sources stageSources(String from, List<String> words, List<Stage> stages, Map<Integer, ImageStore.Image> built,
                                 State state) throws IOException {
        Stage s = null;
        for (Stage st : stages) {
            if (from.equalsIgnoreCase(st.name()) || from.equals(String.valueOf(st.index()))) {
                s = st;
            }
        }
        ImageStore.Image image = s != null ? built.get(s.index()) : image(from);
        if (image == null) {
            throw new JockerException("invalid from flag value " + from + ": the stage is not built before this one");
        }
        return Sources.fromLayers(MergedLayers.of(images.layersOf(image)), words);
    }

    private static ImageConfig.ContainerConfig withLabels(ImageConfig.ContainerConfig c, Map<String, String> more) {
        Map<String, String> labels = new TreeMap<>(c.labels() == null ? Map.of() : c.labels());
        labels.putAll(more);
        return new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(), c.volumes(),
                c.workingDir(), labels, c.stopSignal(), c.healthcheck(), c.onBuild());
    }

    static Map<String, String> envMap(List<String> env) {
        Map<String, String> m = new LinkedHashMap<>();
        if (env != null) {
            for (String e : env) {
                int eq = e.indexOf('=');
                m.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
            }
        }
        return m;
    }

    private static List<String> envList(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package jocker.image;

import jocker.image.json.ImageConfig;
import jocker.sys.JockerException;
import jocker.sys.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * docker's --change (-c) for import and commit: Dockerfile instructions
 * that set a config value. CMD and ENTRYPOINT take a JSON array or a shell
 * line (run by /bin/sh -c); ENV and LABEL take KEY=VALUE pairs.
 */
public final class ConfigChanges {
    private ConfigChanges() {}


    public static ImageConfig.ContainerConfig apply(ImageConfig.ContainerConfig base, List<String> changes) {
        ImageConfig.ContainerConfig c = base;
        for (String change : changes) {
            String trimmed = change.trim();
            int space = trimmed.indexOf(' ');
            if (space < 0) {
                throw new JockerException("invalid change \"" + change + "\": want INSTRUCTION ARGUMENTS");
            }
            String instruction = trimmed.substring(0, space).toUpperCase(Locale.ROOT);
            String args = trimmed.substring(space + 1).trim();
            c = switch (instruction) {
                case "CMD" -> new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(),
                        command(args), c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild());
                case "ENTRYPOINT" -> new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(), command(args),
                        c.cmd(), c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild());
                case "ENV" -> new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), env(c.env(), args), c.entrypoint(),
                        c.cmd(), c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild());
                case "WORKDIR" -> new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(),
                        c.cmd(), c.volumes(), args, c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild());
                case "USER" -> new ImageConfig.ContainerConfig(args, c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(),
                        c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild());
                case "EXPOSE" -> new ImageConfig.ContainerConfig(c.user(), addKeys(c.exposedPorts(), args, true), c.env(),
                        c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild());
                case "VOLUME" -> new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(),
                        addKeys(c.volumes(), args, false), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(), c.onBuild());
                case "LABEL" -> new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(), c.cmd(),
                        c.volumes(), c.workingDir(), labels(c.labels(), args), c.stopSignal(), c.healthcheck(), c.onBuild());
                case "STOPSIGNAL" -> new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), c.env(), c.entrypoint(),
                        c.cmd(), c.volumes(), c.workingDir(), c.labels(), args, c.healthcheck(), c.onBuild());
                default -> throw new JockerException("invalid change \"" + change + "\": " + instruction
                        + " is not one of CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR");
            };
        }
        return c;
    }

    /** ["a","b"] as JSON, or a shell line for /bin/sh -c. */
    static List<String> command(String args) {
        if (args.startsWith("[")) {
            try {
                return List.of(Json.MAPPER.readValue(args, String[].class));
            } catch (Exception e) {
                throw new JockerException("invalid JSON array \"" + args + "\"");
            }
        }
        return List.of("/bin/sh", "-c", args);
    }

    private static List<String> env(List<String> base, String args) {
        Map<String, String> env = new LinkedHashMap<>();
        if (base != null) {
            for (String e : base) {
                int eq = e.indexOf('=');
                env.put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        pairs(args, "ENV").forEach(env::put);
        List<String> result = new ArrayList<>();
        env.forEach((k, v) -> result.add(k + "=" + v));
        return result;
    }

    private static Map<String, String> labels(Map<String, String> base, String args) {
        Map<String, String> labels = new LinkedHashMap<>(base == null ? Map.of() : base);
        labels.putAll(pairs(args, "LABEL"));
        return labels;
    }

    /** "K=V K2=V2" or the old "K V" form. */
    private static Map<String, String> pairs(String args, String instruction) {
        Map<String, String> result = new LinkedHashMap<>();
        if (!args.contains("=")) {
            int space = args.indexOf(' ');
            if (space <= 0) {
                throw new JockerException("invalid " + instruction + " \"" + args + "\": want KEY=VALUE");
            }
            result.put(args.substring(0, space), args.substring(space + 1).trim());
            return result;
        }
        for (String pair : words(args)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new JockerException("invalid " + instruction + " \"" + pair + "\": want KEY=VALUE");
            }
            String value = pair.substring(eq + 1);
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            result.put(pair.substring(0, eq), value);
        }
        return result;
    }

    /** Splits at blanks outside double quotes: A=1 B="two words" is two words. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (char ch : text.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            }
            if (Character.isWhitespace(ch) && !quoted) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(ch);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    private static Map<String, Object> addKeys(Map<String, Object> base, String args, boolean ports) {
        Map<String, Object> result = new LinkedHashMap<>(base == null ? Map.of() : base);
        List<String> keys = args.startsWith("[") ? command(args) : List.of(args.split("\\s+"));
        for (String key : keys) {
            result.put(ports && !key.contains("/") ? key + "/tcp" : key, Map.of());
        }
        return result;
    }
}

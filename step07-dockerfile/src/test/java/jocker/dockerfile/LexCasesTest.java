package jocker.dockerfile;

import jocker.sys.JockerException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** buildkit's word-expansion cases (envVarTest, wordsTest), every Unix and all-platform line. */
class LexCasesTest {
    @Test
    void envVarTest() throws IOException {
        Map<String, String> env = Map.of("PWD", "/home", "SHELL", "bash", "KOREAN", "한국어", "NULL", "");
        Lex lex = new Lex('\\');
        int checked = 0;
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (String raw : Files.readAllLines(SharedCases.dir().resolve("envVarTest"), StandardCharsets.UTF_8)) {
            n++;
            if (raw.startsWith("#") || raw.isBlank()) {
                continue;
            }
            String[] f = raw.trim().split("\\|", -1);
            assertEquals(3, f.length, "line " + n + ": " + raw);
            String platform = f[0].trim(), source = f[1].trim(), expected = f[2].trim();
            if (platform.equals("W")) {
                continue;
            }
            checked++;
            try {
                String got = lex.processWord(source, env);
                if (!expected.equals(got)) {
                    wrong.add("line " + n + ": " + source + " gave " + got + ", not " + expected);
                }
            } catch (JockerException e) {
                if (!expected.equals("error")) {
                    wrong.add("line " + n + ": " + source + " failed: " + e.getMessage());
                }
            }
        }
        assertTrue(checked > 100, "lines checked: " + checked);
        assertEquals(List.of(), wrong);
    }

    @Test
    void wordsTest() throws IOException {
        Map<String, String> env = new HashMap<>();
        Lex lex = new Lex('\\');
        List<String> wrong = new ArrayList<>();
        int n = 0, checked = 0;
        for (String line : Files.readAllLines(SharedCases.dir().resolve("wordsTest"), StandardCharsets.UTF_8)) {
            n++;
            if (line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("ENV ")) {
                String kv = line.substring(3).replaceFirst("^ +", "");
                int eq = kv.indexOf('=');
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
                continue;
            }
            String[] f = line.split("\\|", -1);
            if (f.length != 2) {
                fail("wordsTest line " + n + " should have exactly one |: " + line);
            }
            List<String> expected = List.of(f[1].replaceFirst("^ +", "").split(",", -1));
            List<String> got;
            try {
                got = lex.processWords(f[0].trim(), env);
            } catch (JockerException e) {
                got = List.of("error");
            }
            checked++;
            if (!expected.equals(got)) {
                wrong.add("line " + n + ": " + f[0].trim() + " gave " + got + ", not " + expected);
            }
        }
        assertTrue(checked > 20, "lines checked: " + checked);
        assertEquals(List.of(), wrong);
    }
}

package jocker.dockerfile;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The parser's rules that buildkit's cases leave out, and every error, with its line. */
class ParserTest {
    private static String dump(String dockerfile) {
        return ParserCasesTest.dump(Parser.parse(dockerfile));
    }

    private static String error(String dockerfile) {
        return assertThrows(DockerfileException.class, () -> Parser.parse(dockerfile)).getMessage();
    }

    @Test
    void filesWithNoInstructionAreRefused() {
        assertEquals("file with no instructions", error(""));
        assertEquals("file with no instructions", error("# only\n   # comments\n\n"));
    }

    @Test
    void argumentErrorsNameTheirLine() {
        assertEquals("dockerfile parse error on line 2: ENV must have two arguments", error("FROM a\nENV foo\n"));
        assertEquals("dockerfile parse error on line 3: when using JSON array syntax, arrays must be comprised of strings only",
                error("FROM a\n\nCMD [[\"echo\", \"hi\"]]\n"));
        assertEquals("dockerfile parse error on line 2: Syntax error - can't find = in \"b\". Must be of the form: name=value",
                error("FROM a\nLABEL a=1 b\n"));
        assertEquals("dockerfile parse error on line 2: LABEL must have two arguments", error("FROM a\nLABEL x\n"));
    }

    @Test
    void directivesAtTheTopOnly() {
        Parser.Result r = Parser.parse("# syntax=docker/dockerfile:1\n#escape=`\nFROM a\nRUN echo `\n  hi\n");
        assertEquals('`', r.escape());
        assertEquals("docker/dockerfile:1", r.directives().get("syntax"));
        assertEquals("(from \"a\")\n(run \"echo   hi\")\n", ParserCasesTest.dump(r));
        // after a comment, an empty line or an instruction, "# escape=" is a comment
        assertEquals('\\', Parser.parse("# a comment\n# escape=`\nFROM a\n").escape());
        assertEquals('\\', Parser.parse("\n# escape=`\nFROM a\n").escape());
        assertEquals('\\', Parser.parse("# unknown=x\n# escape=`\nFROM a\n").escape());
        assertEquals("dockerfile parse error on line 2: only one escape parser directive can be used",
                error("# escape=`\n# escape=\\\nFROM a\n"));
        assertEquals("dockerfile parse error on line 1: invalid escape token 'x' does not match ` or \\",
                error("# escape=x\nFROM a\n"));
    }

    @Test
    void continuationsCommentsAndEmptyLines() {
        Parser.Result r = Parser.parse("\uFEFFFROM a\nRUN echo a \\\n# a comment inside\n\n  b \\  \nc\n");
        assertEquals("(from \"a\")\n(run \"echo a   b c\")\n", ParserCasesTest.dump(r));
        assertEquals(List.of("Empty continuation line found in: RUN echo a   b c"), r.warnings());
        assertEquals(2, r.instructions().get(1).startLine());
        assertEquals(6, r.instructions().get(1).endLine());
    }

    @Test
    void theFormsOfArguments() {
        assertEquals("(copy [\"--from=build\" \"--chown=a b\"] \"x\" \"/y\")\n",
                dump("COPY --from=build --chown=\"a b\" x /y"));
        assertEquals("(copy \"--notaflag\" \"x\")\n", dump("COPY -- --notaflag x"));
        assertEquals("(onbuild (run \"echo hi\"))\n", dump("ONBUILD RUN echo hi"));
        assertEquals("(onbuild (copy [\"--from=x\"] \"a\" \"b\"))\n", dump("ONBUILD COPY --from=x a b"));
        assertEquals("(cmd)\n", dump("CMD []"));
        assertEquals("(cmd \"[\\\"a\\\", 1]x\")\n", dump("CMD [\"a\", 1]x"), "not JSON: the shell form");
        assertEquals("(env \"a\" \"\\\"b c\\\"\" \"=\" \"d\" \"e\\\\ f\" \"=\")\n", dump("ENV a=\"b c\" d=e\\ f"),
                "quotes and escapes stay for the builder's expansion");
        assertEquals("(arg \"A=1\" \"B\")\n", dump("ARG A=1 B"));
        assertEquals("(expose \"80/tcp\" \"53/udp\")\n", dump("EXPOSE 80/tcp   53/udp"));
        assertEquals("(frob \"\")\n", dump("FROB x y"), "an unknown instruction is the builder's to refuse");
        assertEquals("(healthcheck \"NONE\")\n", dump("HEALTHCHECK NONE"));
        assertEquals("(volume \"/a\" \"/b\")\n(volume \"/c\")\n", dump("VOLUME /a /b\nVOLUME [\"/c\"]"));
    }

    @Test
    void goQuotingOfValues() {
        assertEquals("\"tab\\there\"", GoQuote.quote("tab\there"));
        assertEquals("\"\\x01\\x7f\"", GoQuote.quote("\u0001\u007f"));
        assertEquals("\"한국어 \\u00a0\"", GoQuote.quote("한국어 \u00a0"));
    }
}

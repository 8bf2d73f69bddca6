package dev.leakscope.workbench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a workbench document into cells. When the document has separator lines ({@code // ---}, or a bare
 * {@code ---}, optionally followed by a title), cells are the text between them; otherwise cells are blocks
 * separated by blank lines — but never inside braces, parentheses, a comment or a text block, so a method with
 * blank lines in its body stays one cell.
 */
public final class Cells {

    /** A separator line: {@code // ---}, {@code //---- title}, or {@code ---}. */
    private static final Pattern SEPARATOR = Pattern.compile("\\s*(//\\s*)?-{3,}.*");

    private Cells() {
    }

    /**
     * One cell: {@code source} is {@code text.substring(start, end)}, without leading or trailing blank lines.
     *
     * @param start offset of the cell's first character in the document
     * @param end   offset just past its last character
     */
    public record Cell(int start, int end, String source) {
        /** Whether {@code offset} is inside this cell (its end included, where the caret sits after typing). */
        public boolean contains(int offset) {
            return offset >= start && offset <= end;
        }

        /** Whether every line is a {@code //} comment: the cell is prose (a Markdown cell in a notebook). */
        public boolean isComment() {
            return source.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("//"));
        }
    }

    /** Whether {@code line} is a cell separator. */
    public static boolean isSeparator(String line) {
        return SEPARATOR.matcher(line).matches();
    }

    /** The cells of {@code text}, in order. */
    public static List<Cell> split(String text) {
        List<int[]> lines = lines(text);
        boolean separated = lines.stream().anyMatch(l -> isSeparator(text.substring(l[0], l[1])));
        List<Cell> cells = new ArrayList<>();
        int first = -1; // index of the first line of the current cell's span
        Lexer lexer = new Lexer();
        for (int i = 0; i < lines.size(); i++) {
            int[] l = lines.get(i);
            String line = text.substring(l[0], l[1]);
            boolean boundary;
            if (separated) {
                boundary = isSeparator(line);
            } else {
                boundary = line.isBlank() && lexer.atTopLevel();
                lexer.feed(line);
            }
            if (boundary) {
                addCell(text, lines, first, i - 1, cells);
                first = -1;
            } else if (first < 0) {
                first = i;
            }
        }
        addCell(text, lines, first, lines.size() - 1, cells);
        return cells;
    }

    /**
     * The cell to run for a caret at {@code caret}: the cell containing it, else the nearest cell above it (the
     * one just typed), else the first below; {@code null} when the document has no cells.
     */
    public static Cell at(String text, int caret) {
        Cell above = null;
        for (Cell c : split(text)) {
            if (c.contains(caret)) {
                return c;
            }
            if (c.end() < caret) {
                above = c;
            } else {
                return above != null ? above : c;
            }
        }
        return above;
    }

    /** {@code source} without separator lines, ready for the evaluator (a selection may span separators). */
    public static String runnable(String source) {
        StringBuilder sb = new StringBuilder();
        for (String line : source.split("\n", -1)) {
            if (!isSeparator(line)) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString().strip();
    }

    /**
     * Where the statement being typed at {@code caret} starts: just after the last {@code ;}, <code>{</code> or
     * <code>}</code> before the caret that is not inside a string, a comment or parentheses. Completion asks
     * the evaluator about this statement alone, since earlier statements of the cell may not have run yet.
     */
    public static int statementStart(String text, int caret) {
        Lexer lexer = new Lexer();
        String prefix = text.substring(0, caret);
        lexer.feedAll(prefix);
        int start = lexer.lastStatementEnd + 1;
        while (start < caret && Character.isWhitespace(prefix.charAt(start))) {
            start++;
        }
        return start;
    }

    /** Whether {@code caret} is inside a string, a character literal or a comment (nothing to complete there). */
    public static boolean inLiteralOrComment(String text, int caret) {
        Lexer lexer = new Lexer();
        lexer.feedAll(text.substring(0, caret));
        return lexer.blockComment || lexer.textBlock || lexer.lineOpen;
    }

    private static void addCell(String text, List<int[]> lines, int first, int last, List<Cell> cells) {
        if (first < 0) {
            return;
        }
        while (first <= last && text.substring(lines.get(first)[0], lines.get(first)[1]).isBlank()) {
            first++;
        }
        while (last >= first && text.substring(lines.get(last)[0], lines.get(last)[1]).isBlank()) {
            last--;
        }
        if (first > last) {
            return;
        }
        int start = lines.get(first)[0];
        int end = lines.get(last)[1];
        cells.add(new Cell(start, end, text.substring(start, end)));
    }

    /** Line spans {start, end} (end excludes the line break; a trailing \r is excluded too). */
    private static List<int[]> lines(String text) {
        List<int[]> out = new ArrayList<>();
        int s = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                int e = i > s && text.charAt(i - 1) == '\r' ? i - 1 : i;
                if (i < text.length() || s < text.length()) {
                    out.add(new int[] {s, e});
                }
                s = i + 1;
            }
        }
        return out;
    }

    /** Just enough of Java's lexical structure to know whether a line ends at the top level. */
    private static final class Lexer {
        private int depth;
        private boolean blockComment;
        private boolean textBlock;
        private int parens;
        /** The last line fed ends inside a // comment or an unterminated literal. */
        boolean lineOpen;
        private int offset;
        /** Offset (in all text fed) of the last top-level-of-parentheses statement end: ; { or }. */
        int lastStatementEnd = -1;

        /** Feeds text spanning lines, tracking statement ends. */
        void feedAll(String text) {
            int s = 0;
            for (int i = 0; i <= text.length(); i++) {
                if (i == text.length() || text.charAt(i) == '\n') {
                    offset = s;
                    feed(text.substring(s, i));
                    s = i + 1;
                }
            }
        }

        boolean atTopLevel() {
            return depth <= 0 && !blockComment && !textBlock;
        }

        void feed(String line) {
            lineOpen = false;
            int n = line.length();
            for (int i = 0; i < n; i++) {
                char c = line.charAt(i);
                if (blockComment) {
                    if (c == '*' && i + 1 < n && line.charAt(i + 1) == '/') {
                        blockComment = false;
                        i++;
                    }
                } else if (textBlock) {
                    if (c == '\\') {
                        i++;
                    } else if (line.startsWith("\"\"\"", i)) {
                        textBlock = false;
                        i += 2;
                    }
                } else if (c == '/' && i + 1 < n && line.charAt(i + 1) == '/') {
                    lineOpen = true;
                    return;
                } else if (c == '/' && i + 1 < n && line.charAt(i + 1) == '*') {
                    blockComment = true;
                    i++;
                } else if (line.startsWith("\"\"\"", i)) {
                    textBlock = true;
                    i += 2;
                } else if (c == '"' || c == '\'') {
                    i = skipLiteral(line, i, c);
                    if (i >= n) {
                        lineOpen = true;
                    }
                } else if (c == '{' || c == '(' || c == '[') {
                    depth++;
                    if (c == '(') {
                        parens++;
                    } else if (c == '{' && parens == 0) {
                        lastStatementEnd = offset + i;
                    }
                } else if (c == '}' || c == ')' || c == ']') {
                    depth--;
                    if (c == ')') {
                        parens = Math.max(0, parens - 1);
                    } else if (c == '}' && parens == 0) {
                        lastStatementEnd = offset + i;
                    }
                } else if (c == ';' && parens == 0) {
                    lastStatementEnd = offset + i;
                }
            }
        }

        private static int skipLiteral(String line, int i, char quote) {
            for (int j = i + 1; j < line.length(); j++) {
                char c = line.charAt(j);
                if (c == '\\') {
                    j++;
                } else if (c == quote) {
                    return j;
                }
            }
            return line.length();
        }
    }
}

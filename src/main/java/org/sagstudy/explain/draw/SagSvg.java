package org.sagstudy.explain.draw;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sagstudy.explain.ImageTensor;
import org.sagstudy.explain.PatchGrid;
import org.sagstudy.explain.Sag;

/**
 * Draws a SAG as SVG with the paper's conventions: roots in the top row, each node the image with only its patches
 * visible (the rest at 10% brightness), its confidence in percent of p_full underneath on a light box above 90%, grey
 * above 50% and dark grey below; on a child the removed patch is outlined in red, more strongly the larger the drop;
 * the original image stands to the left.
 */
public final class SagSvg {

    private static final int THUMB = 112;
    private static final int CELL_W = 132;
    private static final int CELL_H = 160;
    private static final int MARGIN = 16;
    private static final int ORIGINAL = 224;

    private SagSvg() {
    }

    /** The SAG with its node pictures dimmed (hidden patches at 10% brightness), as the paper's figures draw them. */
    public static String draw(Sag sag, ImageTensor image, PatchGrid grid, String title) {
        return draw(sag, image, grid, title, null);
    }

    /**
     * The SAG with its node pictures drawn as the model saw them (hidden patches are {@code baseline}'s pixels), so
     * that nodes look like the options participants compare; dimmed when {@code baseline} is null.
     */
    public static String draw(Sag sag, ImageTensor image, PatchGrid grid, String title, ImageTensor baseline) {
        Layout layout = Layout.of(sag);
        Map<Integer, Sag.Edge> incoming = new HashMap<>();
        for (Sag.Edge edge : sag.edges()) {
            incoming.putIfAbsent(edge.child(), edge);
        }
        StringBuilder svg = new StringBuilder();
        header(svg, layout, image, title);
        for (Sag.Edge edge : sag.edges()) {
            int[] from = layout.position().get(edge.parent());
            int[] to = layout.position().get(edge.child());
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9e9e9e\" "
                    + "stroke-width=\"1.2\"/>%n", from[0] + THUMB / 2, from[1] + THUMB + 26, to[0] + THUMB / 2, to[1]));
        }
        for (Sag.Node node : sag.nodes()) {
            String picture = Drawing.dataUri(baseline == null ? Drawing.patchImage(image, grid, node.patches())
                    : Drawing.modelInput(image, baseline, grid, node.patches()));
            node(svg, node, layout.position().get(node.id()), picture, incoming.get(node.id()), grid);
        }
        return svg.append("</svg>\n").toString();
    }

    /** Where each node's picture goes: one row per depth, each row centred; and the drawing's size. */
    private record Layout(Map<Integer, int[]> position, int width, int height) {

        static Layout of(Sag sag) {
            int[] depth = depths(sag);
            int rows = Arrays.stream(depth).max().orElse(-1) + 1;
            List<List<Sag.Node>> byRow = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                byRow.add(new ArrayList<>());
            }
            for (Sag.Node node : sag.nodes()) {
                byRow.get(depth[node.id()]).add(node);
            }
            int widest = byRow.stream().mapToInt(List::size).max().orElse(0);
            int graphLeft = MARGIN * 2 + ORIGINAL;
            Map<Integer, int[]> position = new HashMap<>();
            for (int r = 0; r < rows; r++) {
                List<Sag.Node> row = byRow.get(r);
                int offset = graphLeft + (widest - row.size()) * CELL_W / 2;
                for (int i = 0; i < row.size(); i++) {
                    position.put(row.get(i).id(), new int[] {offset + i * CELL_W + (CELL_W - THUMB) / 2,
                        40 + r * CELL_H});
                }
            }
            return new Layout(position, graphLeft + Math.max(1, widest) * CELL_W + MARGIN,
                    Math.max(ORIGINAL + 60, rows * CELL_H + 40) + MARGIN);
        }
    }

    /** The drawing's frame, its title and the original photo on the left. */
    private static void header(StringBuilder svg, Layout layout, ImageTensor image, String title) {
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\">%n", layout.width(), layout.height(), layout.width(), layout.height()));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", layout.width(),
                layout.height()));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", MARGIN,
                escape(title)));
        svg.append(String.format(Locale.ROOT, "<image x=\"%d\" y=\"40\" width=\"%d\" height=\"%d\" "
                + "xlink:href=\"%s\"/>%n", MARGIN, ORIGINAL, ORIGINAL, Drawing.dataUri(image.toRgb())));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\">original</text>%n", MARGIN,
                40 + ORIGINAL + 18));
    }

    /** A node: its box coloured by confidence, its picture, the patch its parent lost outlined, its percentage. */
    private static void node(StringBuilder svg, Sag.Node node, int[] at, String picture, Sag.Edge incoming,
            PatchGrid grid) {
        String box = Sag.boxFill(node.relative());
        String ink = Sag.darkText(node.relative()) ? "#000000" : "#ffffff";
        svg.append(String.format(Locale.ROOT, "<g class=\"node\" data-id=\"%d\" data-patches=\"%s\">%n", node.id(),
                node.patches().toList().toString().replace(" ", "")));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\" "
                + "fill=\"%s\" stroke=\"#757575\"/>%n", at[0] - 4, at[1] - 4, THUMB + 8, THUMB + 30, box));
        svg.append(String.format(Locale.ROOT, "<image x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                + "xlink:href=\"%s\"/>%n", at[0], at[1], THUMB, THUMB, picture));
        if (incoming != null) {
            outline(svg, grid, incoming, at, (double) THUMB / grid.imageSize());
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\" "
                + "fill=\"%s\">%d%%</text>%n</g>%n", at[0] + THUMB / 2, at[1] + THUMB + 19, ink,
                Math.round(node.relative() * 100)));
    }

    /** A red square around the removed patch: faint below a 20-point drop, medium to 60, thick above. */
    private static void outline(StringBuilder svg, PatchGrid grid, Sag.Edge edge, int[] at, double scale) {
        int side = grid.side();
        double spacing = (grid.imageSize() - 1.0) / (side - 1);
        double half = grid.imageSize() / (2.0 * side);
        double cx = (edge.removedPatch() % side) * spacing;
        double cy = (edge.removedPatch() / side) * spacing;
        double x0 = Math.max(0, cx - half);
        double y0 = Math.max(0, cy - half);
        double x1 = Math.min(grid.imageSize(), cx + half);
        double y1 = Math.min(grid.imageSize(), cy + half);
        double drop = edge.drop() * 100;
        double stroke = drop < 20 ? 1 : drop < 60 ? 2.5 : 4.5;
        double opacity = drop < 20 ? 0.55 : drop < 60 ? 0.8 : 1;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                + "stroke=\"#e53935\" stroke-width=\"%.1f\" stroke-opacity=\"%.2f\"/>%n", at[0] + x0 * scale,
                at[1] + y0 * scale, (x1 - x0) * scale, (y1 - y0) * scale, stroke, opacity));
    }

    /** Each node's row: its shortest distance from a root. */
    static int[] depths(Sag sag) {
        int[] depth = new int[sag.nodes().size()];
        Arrays.fill(depth, -1);
        Map<Integer, List<Integer>> children = new HashMap<>();
        for (Sag.Edge edge : sag.edges()) {
            children.computeIfAbsent(edge.parent(), k -> new ArrayList<>()).add(edge.child());
        }
        Deque<Integer> queue = new ArrayDeque<>();
        for (Sag.Node node : sag.nodes()) {
            if (node.root()) {
                depth[node.id()] = 0;
                queue.add(node.id());
            }
        }
        while (!queue.isEmpty()) {
            int id = queue.poll();
            for (int child : children.getOrDefault(id, List.of())) {
                if (depth[child] < 0) {
                    depth[child] = depth[id] + 1;
                    queue.add(child);
                }
            }
        }
        return depth;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

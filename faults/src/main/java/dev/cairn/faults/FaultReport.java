package dev.cairn.faults;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The campaign's results: {@code NAME.json} for machines, {@code NAME.md} for people, and a
 * timeline chart per scenario in {@code NAME/}: requests answered and failed per second, with the
 * fault, the restart and the moment all was ready again marked.
 */
public final class FaultReport {

    private static final long BUCKET_MILLIS = 1000;
    private static final Map<String, Color> MARK_COLOURS = Map.of("fault", new Color(0xC0392B), "restart", new Color(0xE67E22),
            "ready", new Color(0x27AE60), "load stopped", Color.GRAY);

    private FaultReport() {
    }

    /**
     * Writes {@code directory/name.json}, {@code directory/name.md} and the charts in {@code directory/name/}.
     *
     * @param setup a paragraph on how the campaign ran: the command, the suite, the backend
     */
    public static void write(Path directory, String name, String setup, Campaign.Settings settings, List<Campaign.Outcome> outcomes) {
        try {
            Files.createDirectories(directory.resolve(name));
            String measuredAt = Instant.now().toString();
            String machine = Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + ", Java " + System.getProperty("java.runtime.version");
            List<String> charts = new ArrayList<>();
            for (Campaign.Outcome outcome : outcomes) {
                charts.add(chart(directory, name, outcome));
            }
            Files.writeString(directory.resolve(name + ".json"), json(measuredAt, machine, setup, settings, outcomes, charts));
            Files.writeString(directory.resolve(name + ".md"), markdown(measuredAt, machine, setup, settings, outcomes, charts));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(String measuredAt, String machine, String setup, Campaign.Settings settings, List<Campaign.Outcome> outcomes,
            List<String> charts) {
        ObjectNode root = Api.JSON.createObjectNode().put("measuredAt", measuredAt).put("machine", machine).put("setup", setup);
        root.putObject("phases").put("baselineSeconds", settings.baseline().toSeconds()).put("holdSeconds", settings.hold().toSeconds())
                .put("afterSeconds", settings.after().toSeconds()).put("settleSeconds", settings.settle().toSeconds());
        ArrayNode scenarios = root.putArray("scenarios");
        for (int i = 0; i < outcomes.size(); i++) {
            Campaign.Outcome outcome = outcomes.get(i);
            ObjectNode s = scenarios.addObject().put("name", outcome.scenario().name()).put("description", outcome.scenario().description())
                    .put("passed", outcome.passed());
            LedgerCheck.Verdict v = outcome.verdict();
            if (v != null) {
                s.put("acknowledgedTransactions", v.acknowledged()).put("lost", v.lost()).put("sealedTwice", v.sealedTwice())
                        .put("registersFailingVerify", v.unverified().size()).put("eventsMissedAfterBackfill", v.eventsMissed())
                        .put("eventsReceivedTwice", v.eventsRepeated()).put("workflowStepsAcknowledged", v.stepsAcknowledged())
                        .put("workflowStepsNotApplied", v.stepsNotApplied()).put("settleSeconds", round(v.settleSeconds()));
            }
            s.put("requests", outcome.requests()).put("failedRequests", outcome.failed()).put("errorWindowSeconds", round(outcome.errorWindowSeconds()));
            if (outcome.secondsToServeAgain().isPresent()) {
                s.put("secondsToServeAgain", round(outcome.secondsToServeAgain().getAsDouble()));
            } else {
                s.putNull("secondsToServeAgain");
            }
            ArrayNode marks = s.putArray("marks");
            outcome.timeline().marks().forEach(m -> marks.addObject().put("atMillis", m.at()).put("label", m.label()));
            ArrayNode failedByKind = s.putArray("failedByKind");
            for (Timeline.Kind kind : Timeline.Kind.values()) {
                long failed = outcome.timeline().requests().stream().filter(r -> r.kind() == kind && !r.ok()).count();
                long all = outcome.timeline().requests().stream().filter(r -> r.kind() == kind).count();
                failedByKind.addObject().put("kind", kind.label).put("requests", all).put("failed", failed);
            }
            outcome.timeline().failures().forEach(s.putArray("failures")::add);
            outcome.details().forEach(s.putArray("details")::add);
            outcome.problems().forEach(s.putArray("problems")::add);
            if (charts.get(i) != null) {
                s.put("chart", charts.get(i));
            }
        }
        return root.toPrettyString() + "\n";
    }

    private static String markdown(String measuredAt, String machine, String setup, Campaign.Settings settings, List<Campaign.Outcome> outcomes,
            List<String> charts) {
        StringBuilder md = new StringBuilder();
        md.append("# Faults under load\n\n").append(setup).append("\n\n");
        md.append("Measured ").append(measuredAt).append(" on ").append(machine).append(".\n\n");
        md.append(String.format("Each scenario: %d s of load, the fault (a process down for %d s, then started again), %d s more load %s, "
                + "then the check, which waits up to %d s for everything acknowledged to be sealed. The load, through the front as users "
                + "send it: %s.%n%n", settings.baseline().toSeconds(), settings.hold().toSeconds(), settings.after().toSeconds(),
                settings.loadWhileStarting() ? "once it is ready again (the load runs on while it starts)"
                        : "from the restart (a restarted process then finishes starting without load)",
                settings.settle().toSeconds(), describe(settings.load())));
        long passed = outcomes.stream().filter(Campaign.Outcome::passed).count();
        md.append(String.format("**%d of %d scenarios passed.**%n%n", passed, outcomes.size()));
        md.append("| Scenario | Acknowledged tx | Lost | Sealed twice | Verify | Events missed | Workflow steps not applied | Failed requests "
                + "| Error window | Serving again after | Result |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Campaign.Outcome o : outcomes) {
            LedgerCheck.Verdict v = o.verdict();
            md.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %d of %d | %.1f s | %s | %s |%n", o.scenario().name(),
                    v == null ? "—" : v.acknowledged(), v == null ? "—" : v.lost(), v == null ? "—" : v.sealedTwice(),
                    v == null ? "—" : v.unverified().isEmpty() ? "OK" : "FAILED", v == null ? "—" : v.eventsMissed(),
                    v == null ? "—" : v.stepsNotApplied() + " of " + v.stepsAcknowledged(), o.failed(), o.requests(), o.errorWindowSeconds(),
                    o.secondsToServeAgain().isPresent() ? String.format("%.1f s", o.secondsToServeAgain().getAsDouble()) : "never",
                    o.passed() ? "pass" : "**FAIL**"));
        }
        md.append("\n").append("""
                Lost: acknowledged (202 or 200) but not in any docket when the check ended. Sealed twice: in more than one docket. \
                Verify: `GET /api/registers/{id}/verify` on every register. Events missed: events of the registers' streams and of the \
                supplier's wallet stream that a WebSocket follower (connected through the front, reconnecting and backfilling as the \
                console does) never received. Workflow steps not applied: acknowledged actions whose instance's history did not show \
                them sealed. Error window: from the first failed request to the last. Serving again after: from the fault to the end \
                of the last second in which more than a tenth of the requests failed. A request counts at the moment it was sent; one that got no answer \
                within its deadline (5 s; 10 s for a workflow action) failed.
                """);
        for (int i = 0; i < outcomes.size(); i++) {
            Campaign.Outcome o = outcomes.get(i);
            md.append("\n## ").append(o.scenario().name()).append("\n\n").append(capitalise(o.scenario().description())).append(".\n");
            if (!o.details().isEmpty() || !o.problems().isEmpty()) {
                md.append("\n");
                o.details().forEach(d -> md.append("- ").append(d).append("\n"));
                o.problems().forEach(p -> md.append("- **Problem:** ").append(p).append("\n"));
            }
            md.append("\nRequests failed, by kind: ").append(failedByKind(o.timeline())).append(".\n");
            List<String> reasons = o.timeline().failures();
            if (!reasons.isEmpty()) {
                md.append("Why: ").append(String.join("; ", reasons)).append(".\n");
            }
            if (charts.get(i) != null) {
                md.append("\n![").append(o.scenario().name()).append(" timeline](").append(charts.get(i)).append(")\n");
            }
        }
        return md.toString();
    }

    private static String describe(MixedLoad.Plan plan) {
        return String.format("%d single transactions and %d batches of %d per second over %d registers, %d wallet signatures and %d "
                + "register reads per second, %d workflow client%s running purchase orders one after another, and a WebSocket follower "
                + "of each register and of the supplier's wallet", plan.singlesPerSecond(), plan.batchesPerSecond(), plan.batchSize(),
                Fixture.REGISTERS, plan.signaturesPerSecond(), plan.readsPerSecond(), plan.workflowClients(), plan.workflowClients() == 1 ? "" : "s");
    }

    private static String failedByKind(Timeline timeline) {
        List<String> parts = new ArrayList<>();
        for (Timeline.Kind kind : Timeline.Kind.values()) {
            long all = timeline.requests().stream().filter(r -> r.kind() == kind).count();
            long failed = timeline.requests().stream().filter(r -> r.kind() == kind && !r.ok()).count();
            parts.add(kind.label + " " + failed + " of " + all);
        }
        return String.join(", ", parts);
    }

    /** The scenario's timeline as a PNG; its path relative to the report, or null when no chart could be drawn here. */
    private static String chart(Path directory, String name, Campaign.Outcome outcome) {
        System.setProperty("java.awt.headless", "true");
        int[][] buckets = outcome.timeline().buckets(BUCKET_MILLIS);
        double perSecond = 1000.0 / BUCKET_MILLIS;
        XYSeries answered = new XYSeries("answered per second");
        XYSeries failed = new XYSeries("failed per second");
        for (int i = 0; i < buckets.length; i++) {
            double at = i * BUCKET_MILLIS / 1000.0;
            answered.add(at, buckets[i][0] * perSecond);
            failed.add(at, buckets[i][1] * perSecond);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(answered);
        data.addSeries(failed);
        try {
            JFreeChart chart = ChartFactory.createXYLineChart(outcome.scenario().name(), "seconds", "requests per second", data,
                    PlotOrientation.VERTICAL, true, false, false);
            XYPlot plot = chart.getXYPlot();
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            renderer.setSeriesPaint(0, new Color(0x2E86C1));
            renderer.setSeriesPaint(1, new Color(0xC0392B));
            renderer.setSeriesStroke(0, new BasicStroke(1.5f));
            renderer.setSeriesStroke(1, new BasicStroke(1.5f));
            plot.setRenderer(renderer);
            for (Timeline.Mark mark : outcome.timeline().marks()) {
                ValueMarker marker = new ValueMarker(mark.at() / 1000.0, MARK_COLOURS.getOrDefault(mark.label(), Color.DARK_GRAY),
                        new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
                marker.setLabel(mark.label());
                // labels at three heights, so that moments close together stay readable
                int row = switch (mark.label()) {
                    case "fault" -> 0;
                    case "restart" -> 1;
                    case "ready" -> 2;
                    default -> 0;
                };
                marker.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(4 + 14 * row, 2, 2, 2));
                boolean last = mark.label().equals("load stopped");
                marker.setLabelAnchor(last ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
                marker.setLabelTextAnchor(last ? TextAnchor.TOP_RIGHT : TextAnchor.TOP_LEFT);
                plot.addDomainMarker(marker);
            }
            Path file = directory.resolve(name).resolve(outcome.scenario().name() + ".png");
            ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 320);
            return name + "/" + file.getFileName();
        } catch (IOException | RuntimeException | LinkageError | InternalError e) {
            // a machine without fonts or AWT: the figures stand without their picture
            System.err.println("no chart for " + outcome.scenario().name() + ": " + e);
            return null;
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}

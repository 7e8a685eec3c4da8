package dev.cairn.platform.workflow;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;

class BlueprintRulesTest {

    @Test
    void theSamplesAreValid() {
        for (String sample : List.of("purchase-order", "loan", "permit")) {
            BlueprintRules.Report report = BlueprintRules.check(Samples.document(sample));
            assertThat(report.errors()).as(sample).isEmpty();
            if (sample.equals("permit")) {
                assertThat(report.warnings()).extracting(Problem::message).containsExactly("cycle: action 1 leads back to action 0");
            } else {
                assertThat(report.warnings()).as(sample).isEmpty();
            }
        }
    }

    @Test
    void everyProblemIsReportedAtItsPointer() {
        String broken = """
                {"title": "Broken", "participants": [{"id": "a", "name": "A"}],
                 "actions": [
                   {"id": 0, "title": "Start", "sender": "nobody", "isStartingAction": true,
                    "dataSchemas": [{"type": "whole number"}],
                    "calculations": {"x~/y": {"frobnicate": [1]}},
                    "routes": [{"id": "r", "nextActionIds": [7], "condition": {"==": [1, 1]}},
                               {"id": "d1", "isDefault": true, "nextActionIds": [1]}, {"id": "d2", "isDefault": true, "nextActionIds": [1]}],
                    "rejectionConfig": {"targetActionId": 9},
                    "disclosures": [{"participantAddress": "stranger", "dataPointers": ["amount", "/a~2"]}]},
                   {"id": 1, "title": "Next", "sender": "a", "target": "b", "isStartAction": true,
                    "credentialRequirements": [{"type": "KYC"}]},
                   {"id": 0, "title": "Twin", "sender": "a"}
                 ]}""";
        BlueprintRules.Report report = BlueprintRules.check(Samples.JSON.readTree(broken));
        assertThat(report.errors()).extracting(Problem::pointer).contains(
                "/participants",
                "/actions/0/sender",
                "/actions/0/dataSchemas/0",
                "/actions/0/calculations/x~0~1y",
                "/actions/0/routes/0/nextActionIds/0",
                "/actions/0/routes",
                "/actions/0/rejectionConfig/targetActionId",
                "/actions/0/disclosures/0/participantAddress",
                "/actions/0/disclosures/0/dataPointers/0",
                "/actions/0/disclosures/0/dataPointers/1",
                "/actions/1/credentialRequirements",
                "/actions/2/id");
        assertThat(report.warnings()).extracting(Problem::pointer).contains("/actions/1/target", "/actions/1/isStartAction");
        assertThat(report.warnings()).filteredOn(w -> w.pointer().equals("/actions/1/target")).extracting(Problem::message)
                .allMatch(m -> m.startsWith("ignored:"));
    }

    @Test
    void unreachableActionsAndCyclesAreWarnings() {
        String looping = """
                {"title": "Loop", "participants": [{"id": "a"}, {"id": "b"}],
                 "actions": [
                   {"id": 0, "sender": "a", "isStartingAction": true, "routes": [{"id": "on", "isDefault": true, "nextActionIds": [1]}]},
                   {"id": 1, "sender": "b", "routes": [{"id": "back", "isDefault": true, "nextActionIds": [0]}]},
                   {"id": 2, "sender": "b"}
                 ]}""";
        BlueprintRules.Report report = BlueprintRules.check(Samples.JSON.readTree(looping));
        assertThat(report.errors()).isEmpty();
        assertThat(report.warnings()).extracting(Problem::message).anyMatch(m -> m.contains("cannot be reached"))
                .anyMatch(m -> m.startsWith("cycle"));
    }

    @Test
    void aTemplateIsUnwrappedUnlessItHoldsJsonE() {
        String plain = "{\"id\":\"t\",\"title\":\"Template\",\"template\":" + Samples.document("permit") + "}";
        BlueprintRules.Unwrapped unwrapped = BlueprintRules.unwrap(Samples.JSON.readTree(plain));
        assertThat(unwrapped.wasTemplate()).isTrue();
        assertThat(unwrapped.jsonE()).isEmpty();
        assertThat(unwrapped.blueprint().path("title").asString()).isEqualTo("Building permit");

        String withJsonE = "{\"title\":\"Template\",\"template\":{\"title\":\"${name}\",\"participants\":[],"
                + "\"actions\":[{\"id\":0,\"title\":{\"$eval\":\"title\"}}]}}";
        assertThat(BlueprintRules.unwrap(Samples.JSON.readTree(withJsonE)).jsonE()).extracting(Problem::pointer)
                .containsExactly("/template/title", "/template/actions/0/title/$eval");
        assertThat(BlueprintRules.unwrap(Samples.document("permit")).wasTemplate()).isFalse();
    }

    @Test
    void logicGivesWholeNumbersAsIntegersAndRefusesWhatItCannotEvaluate() {
        Logic product = Logic.compile(Samples.JSON.readTree("{\"*\":[{\"var\":\"a\"},3]}"));
        assertThat(product.evaluate(Samples.data("{\"a\":2}")).toString()).isEqualTo("6");
        assertThat(product.evaluate(Samples.data("{\"a\":0.5}")).toString()).isEqualTo("1.5");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Logic.compile(Samples.JSON.readTree("{\"log\":[1]}")))
                .hasMessageContaining("unknown operation");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Logic.compile(Samples.JSON.readTree("[".repeat(40) + "]".repeat(40))))
                .hasMessageContaining("levels deep");
        Logic divide = Logic.compile(Samples.JSON.readTree("{\"/\":[1,{\"var\":\"zero\"}]}"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> divide.evaluate(Samples.data("{\"zero\":0}")))
                .hasMessageContaining("finite");
        assertThat(Logic.compile(JsonNodeFactory.instance.booleanNode(true)).test(Samples.data("{}"))).isTrue();
    }
}

package io.leadcredits.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.testkit.KafkaTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the Kafka sink's tests check of a topic against the event feed. */
public final class KafkaChecks {
  private KafkaChecks() {}

  /** Waits until every event of {@code feed} is in the topic; returns the feed. */
  public static List<JsonNode> awaitArrival(
      List<JsonNode> feed, KafkaTopic records, Duration arrivalTimeoutMax) {
    Set<String> wanted = new HashSet<>();
    feed.forEach(e -> wanted.add(e.get("id").asText()));
    Await.until(
        arrivalTimeoutMax,
        "every one of the feed's " + feed.size() + " events is in the topic",
        () -> {
          records.poll();
          return records.ids().containsAll(wanted);
        });
    return feed;
  }

  /**
   * Each event of the feed is in the topic, keyed by its subject, with its id and type as headers
   * and its JSON as the value; a subject's records, first copies only, are in the feed's order and
   * in one partition; the topic holds nothing else.
   */
  public static void assertArrivedAsInFeed(List<JsonNode> feed, List<KafkaTopic.Rec> records) {
    Map<String, KafkaTopic.Rec> first = new LinkedHashMap<>();
    for (KafkaTopic.Rec r : records) {
      first.putIfAbsent(r.id(), r);
    }
    Map<String, List<String>> feedOrder = new HashMap<>();
    for (JsonNode e : feed) {
      String id = e.get("id").asText();
      KafkaTopic.Rec r = first.get(id);
      assertThat(r).as("the record of %s", id).isNotNull();
      assertThat(r.key()).isEqualTo(e.get("subject").asText());
      assertThat(r.type()).isEqualTo(e.get("type").asText());
      assertThat(r.value()).as("the value of %s", id).isEqualTo(e);
      feedOrder.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(id);
    }
    assertThat(first.keySet()).hasSize(feed.size());
    Map<String, Set<Integer>> partitions = new HashMap<>();
    Map<String, List<String>> topicOrder = new HashMap<>();
    records.stream()
        .sorted(
            Comparator.comparingInt(KafkaTopic.Rec::partition)
                .thenComparingLong(KafkaTopic.Rec::offset))
        .forEach(
            r -> {
              partitions.computeIfAbsent(r.key(), k -> new HashSet<>()).add(r.partition());
              topicOrder.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.id());
            });
    for (Map.Entry<String, List<String>> subject : feedOrder.entrySet()) {
      assertThat(partitions.get(subject.getKey())).as(subject.getKey()).hasSize(1);
      assertThat(new ArrayList<>(new LinkedHashSet<>(topicOrder.get(subject.getKey()))))
          .as("the order of %s", subject.getKey())
          .isEqualTo(subject.getValue());
    }
    assertThat(partitions.values().stream().flatMap(Set::stream).distinct().count())
        .as("partitions used")
        .isGreaterThan(1);
  }
}

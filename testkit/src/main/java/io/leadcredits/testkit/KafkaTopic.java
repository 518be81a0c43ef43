package io.leadcredits.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything the service's Kafka sink published to one topic, from its beginning, read by a
 * consumer of the caller's own (no group, nothing committed). {@link #poll} reads what has arrived
 * since the last call. With {@code keepValues} false only the ids, keys and positions are kept, so
 * a benchmark's hundreds of thousands of records take little memory.
 */
public final class KafkaTopic implements AutoCloseable {
  private static final ObjectMapper json = new ObjectMapper();

  /** One record as it arrived; {@code value} null when values are not kept. */
  public record Rec(
      int partition, long offset, String key, String id, String type, JsonNode value) {}

  private final KafkaConsumer<String, byte[]> consumer;
  private final boolean keepValues;
  private final List<Rec> records = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();
  private int count;

  public KafkaTopic(String bootstrapServers, String topic, int partitions, boolean keepValues) {
    this.keepValues = keepValues;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Only what the broker has committed: a record it may still lose is not counted.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(p);
    List<TopicPartition> all = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      all.add(new TopicPartition(topic, i));
    }
    consumer.assign(all);
    consumer.seekToBeginning(all);
  }

  /** Reads what has arrived since the last poll; returns how many records were read so far. */
  public int poll() {
    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
      Rec rec =
          new Rec(
              r.partition(),
              r.offset(),
              r.key(),
              header(r, "id"),
              header(r, "type"),
              keepValues ? parse(r.value()) : null);
      if (keepValues) {
        records.add(rec);
      }
      ids.add(rec.id());
      count++;
    }
    return count;
  }

  /** Every record read so far, in the order read; none when values are not kept. */
  public List<Rec> all() {
    return List.copyOf(records);
  }

  /** How many records were read so far, copies included. */
  public int count() {
    return count;
  }

  /** The distinct event ids read so far. */
  public Set<String> ids() {
    return ids;
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static JsonNode parse(byte[] value) {
    try {
      return json.readTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    consumer.close();
  }
}

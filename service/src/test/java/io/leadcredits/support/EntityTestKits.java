package io.leadcredits.support;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/** Configuration for entity tests: Pekko's in-memory journal plus the service's serializers. */
public final class EntityTestKits {
  private EntityTestKits() {}

  public static Config config() {
    return EventSourcedBehaviorTestKit.config()
        .withFallback(ConfigFactory.parseResources("serialization.conf"))
        .withFallback(
            ConfigFactory.parseString("pekko.loglevel = WARNING\npekko.actor.provider = local"))
        .resolve();
  }
}

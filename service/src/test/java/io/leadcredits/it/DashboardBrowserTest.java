package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadcredits.EngineKind;
import io.leadcredits.Ids;
import io.leadcredits.auth.Role;
import io.leadcredits.support.Await;
import io.leadcredits.support.Browser;
import io.leadcredits.support.Checkout;
import io.leadcredits.support.ChromiumRequired;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Reply;
import io.leadcredits.testkit.WebhookReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium against the real service: sign in with an admin token (a
 * tradie's is refused), watch a claim made through the API appear on its lead and move the tradie's
 * balance, pending refunds approved and rejected from the refunds panel, and the live panel's
 * reading of Micrometer's Prometheus text. Leaves a screenshot in target/screenshots (and
 * docs/dashboard.png on request, see {@link #screenshot}). Skipped where Chromium is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ChromiumRequired.class)
class DashboardBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PAGE_UPDATE = Duration.ofSeconds(15);
  private static final int WIDTH = 1440;

  private RunningService service;
  private ChromeDriver driver;
  private WebDriverWait wait;
  private String base;

  @BeforeAll
  void start(@TempDir Path dir) {
    // Webhooks to a receiver on this machine: private addresses allowed, as on a single host.
    service =
        new RunningService(
            dir.resolve("data"),
            EngineKind.ACTORS,
            Map.of("leadcredits.webhooks.allow-private", true));
    driver = Browser.start(dir.resolve("chromium-profile"), WIDTH, 1000);
    wait = new WebDriverWait(driver, PAGE_UPDATE);
    base = "http://127.0.0.1:" + service.engine().httpPort();
  }

  @AfterAll
  void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (service != null) {
      service.close();
    }
  }

  /** Every test starts signed out, on the sign-in form. */
  @BeforeEach
  void signedOut() {
    driver.get(base + "/");
    driver.executeScript("sessionStorage.clear()");
    driver.navigate().refresh();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
  }

  /** No script error on the page; failed requests (a refused token, a 404) are not errors. */
  @AfterEach
  void noScriptErrors() {
    List<String> errors =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .filter(m -> !m.contains("Failed to load resource"))
            .toList();
    assertThat(errors).isEmpty();
  }

  private void signIn(String token) {
    driver.findElement(By.id("token")).sendKeys(token);
    driver.findElement(By.id("login-submit")).click();
  }

  private String text(String id) {
    return stable(() -> driver.findElement(By.id(id)).getText());
  }

  @Test
  void aTradieTokenDoesNotOpenTheDashboard() {
    signIn(service.token("ann", Role.TRADIE));
    WebElement error =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
    assertThat(error.getText()).contains("admin token");
    assertThat(driver.findElement(By.id("dashboard")).isDisplayed()).isFalse();
    assertThat(driver.executeScript("return sessionStorage.length")).isEqualTo(0L);
  }

  @Test
  void anAdminSeesAClaimAndTheBalanceChangeAsTheyHappen() throws IOException {
    seed();
    signIn(service.admin());
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dashboard")));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("li.lead[data-lead-id='job-42']")));
    assertThat(text("count-FULL")).isEqualTo("1");
    assertThat(text("count-CLOSED")).isEqualTo("1");

    WebElement search = driver.findElement(By.id("search-input"));
    search.sendKeys("ann");
    driver.findElement(By.cssSelector("#search button")).click();
    wait.until(ExpectedConditions.textToBe(By.id("account-balance"), "100"));
    assertThat(text("account-reserved")).isEqualTo("10");
    assertThat(text("account-available")).isEqualTo("90");
    assertThat(driver.findElements(By.cssSelector("#account-card [data-expires-at]"))).hasSize(1);

    Reply claim =
        service.send("POST", "/api/leads/job-42/claim", service.token("ann", Role.TRADIE), null);
    assertThat(claim.status()).as(claim.raw().body()).isEqualTo(200);
    String claimId = Ids.claimId("job-42", "ann");

    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector(
                "li.lead[data-lead-id='job-42'] li.claim[data-claim-id='" + claimId + "']")));
    wait.until(ExpectedConditions.textToBe(By.id("account-balance"), "70"));
    assertThat(text("account-available")).isEqualTo("60");
    By debit = By.cssSelector("#account-card tr[data-transaction-id='" + claimId + "']");
    wait.until(ExpectedConditions.presenceOfElementLocated(debit));
    // The panels re-render every tick, so each read and click finds its element afresh.
    assertThat(stable(() -> driver.findElement(debit).getDomAttribute("data-type")))
        .isEqualTo("DEBIT");
    assertThat(
            stable(
                () ->
                    driver.findElement(debit).findElement(By.className("balance-cell")).getText()))
        .isEqualTo("100 → 70");

    click(By.cssSelector("li.lead[data-lead-id='job-42'] .lead-id"));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#lead-card tr[data-claim-id='" + claimId + "']")));
    screenshot();
  }

  @Test
  void theAccountShowsItsGrantsInSpendingOrderWithTheirExpiryCountingDown() {
    assertThat(retried(() -> service.credit("eve", 50, "eve-pack")).status()).isEqualTo(200);
    String expiry = java.time.Instant.now().plusSeconds(3600).toString();
    Reply bonus =
        retried(
            () ->
                service.send(
                    "POST",
                    "/api/accounts/eve/credits",
                    service.admin(),
                    "{\"amount\":20,\"transactionId\":\"eve-bonus\",\"category\":\"promotional\","
                        + "\"expiresAt\":\""
                        + expiry
                        + "\"}"));
    assertThat(bonus.status()).as(bonus.raw().body()).isEqualTo(200);
    signIn(service.admin());
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dashboard")));
    WebElement search = driver.findElement(By.id("search-input"));
    search.clear();
    search.sendKeys("eve");
    driver.findElement(By.cssSelector("#search button")).click();
    wait.until(ExpectedConditions.textToBe(By.id("account-balance"), "70"));
    // Read in one go, again if the panel re-rendered the rows meanwhile (it does every tick).
    List<String> grants =
        stable(
            () -> {
              List<WebElement> rows =
                  driver.findElements(By.cssSelector("#account-grants tbody tr"));
              List<String> read = new java.util.ArrayList<>();
              for (WebElement r : rows) {
                List<WebElement> countdown = r.findElements(By.className("countdown"));
                read.add(
                    r.getDomAttribute("data-grant-id")
                        + (countdown.isEmpty() ? "" : " " + countdown.get(0).getText()));
              }
              return read;
            });
    assertThat(grants).hasSize(2);
    assertThat(grants.get(0)).startsWith("eve-bonus ").matches("eve-bonus \\S.*");
    assertThat(grants.get(1)).isEqualTo("eve-pack");
    assertThat(text("account-by-category")).isEqualTo("paid 50 · promotional 20");
  }

  @Test
  void theEventsOutPanelShowsEachEndpointsDeliveriesAndTheSinksLag() {
    try (WebhookReceiver receiver = WebhookReceiver.accepting()) {
      Reply created =
          service.send(
              "POST",
              "/api/webhooks",
              service.admin(),
              "{\"url\":\"" + receiver.url() + "\",\"types\":[\"credit.\"]}");
      assertThat(created.status()).isEqualTo(201);
      String id = created.body().get("id").asText();
      assertThat(service.credit("panel-ann", 5, "panel-topup-1").status()).isEqualTo(200);
      signIn(service.admin());
      By row = By.cssSelector("#webhook-list li[data-webhook-id='" + id + "']");
      wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "1 delivered"));
      String shown = driver.findElement(row).getText();
      assertThat(shown).contains(receiver.url()).contains("credit.").contains("ok");
      assertThat(shown).contains("→ 200");
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector("#sink-lags [data-sink='webhooks']"), "caught up"));
      assertThat(text("sink-lags")).contains("kafka lag").contains("not running on this node");
    }
  }

  @Test
  void theLiabilityPanelShowsWhatIsOwedAndWhatThePaidCreditsAreWorth() {
    Reply paid =
        service.send(
            "POST",
            "/api/accounts/panel-liz/credits",
            service.admin(),
            "{\"amount\":40,\"transactionId\":\"panel-liz-pack\","
                + "\"price\":{\"amountMinor\":7005,\"currency\":\"CHF\"}}");
    assertThat(paid.status()).isEqualTo(200);
    signIn(service.admin());
    // Polled every 10 s: the first poll may come before the projection has the top-up.
    WebDriverWait slow = new WebDriverWait(driver, Duration.ofSeconds(60));
    slow.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("liability-tiles"), "CHF 70.05"));
    assertThat(text("liability-tiles")).contains("Paid owed").contains("Promotional owed");
    assertThat(text("liability-note")).containsAnyOf("up to date", "catching up");
  }

  @Test
  void anAdminDecidesPendingRefundsAndTheTradieIsCredited() {
    for (String tradie : List.of("rq-ann", "rq-bob")) {
      assertThat(retried(() -> service.credit(tradie, 100, tradie + "-pack")).status())
          .isEqualTo(200);
    }
    for (String lead : List.of("rq-lead-1", "rq-lead-2")) {
      assertThat(service.createLead(lead, 30, 3).status()).isEqualTo(201);
    }
    String annFirst = claim("rq-ann", "rq-lead-1");
    String bobFirst = claim("rq-bob", "rq-lead-1");
    String annSecond = claim("rq-ann", "rq-lead-2");
    String annRefund = askRefund("rq-ann", annFirst, "CUSTOMER_UNREACHABLE", "never answers");
    String bobRefund = askRefund("rq-bob", bobFirst, "FAKE", null);
    By annRow = refundRow(annRefund);
    By bobRow = refundRow(bobRefund);

    signIn(service.admin());
    wait.until(ExpectedConditions.visibilityOfElementLocated(annRow));
    wait.until(ExpectedConditions.visibilityOfElementLocated(bobRow));
    String shown = driver.findElement(annRow).getText();
    assertThat(shown)
        .contains(annRefund, annFirst, "rq-lead-1", "rq-ann", "CUSTOMER_UNREACHABLE")
        .contains("never answers")
        .contains("asks 30 of 30 paid");
    assertThat(driver.findElement(annRow).getDomAttribute("class")).doesNotContain("flagged");

    // A page of one: the other refund is on the next page, and back.
    driver.executeScript("document.getElementById('refunds').dataset.pageSize = '1'");
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("li.refund"), 1));
    String firstPage =
        driver.findElement(By.cssSelector("li.refund")).getDomAttribute("data-refund-id");
    driver.findElement(By.id("refunds-next")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(refundRow(firstPage), 0));
    assertThat(driver.findElements(By.cssSelector("li.refund"))).hasSize(1);
    assertThat(driver.findElement(By.cssSelector("li.refund")).getDomAttribute("data-refund-id"))
        .isIn(annRefund, bobRefund)
        .isNotEqualTo(firstPage);
    driver.executeScript("document.getElementById('refunds').dataset.pageSize = '20'");
    driver.findElement(By.id("refunds-first")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("li.refund"), 2));

    // What the page sends: no amount for a blank field (the full price), a note trimmed, and a
    // text that is not a whole number as it is, for the service to refuse.
    Object bodies =
        driver.executeAsyncScript(
            """
            const done = arguments[0];
            import('/dashboard/refunds.js')
              .then((m) => done(JSON.stringify([
                m.approval(' ', ''), m.approval('20', ' ok '), m.approval('2.5', '')])))
              .catch((e) => done('failed: ' + e));
            """);
    assertThat(bodies).isEqualTo("[{},{\"amount\":20,\"note\":\"ok\"},{\"amount\":\"2.5\"}]");

    // An amount the browser cannot read is refused on the page, not sent as "the full price".
    By annError = By.cssSelector("li.refund[data-refund-id='" + annRefund + "'] .refund-error");
    driver.findElement(annRow).findElement(By.className("refund-amount")).sendKeys("e");
    driver.findElement(annRow).findElement(By.className("approve")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(annError, "not a whole number"));
    // More than was paid is refused: the problem shows on the row and nothing changes.
    WebElement amount = driver.findElement(annRow).findElement(By.className("refund-amount"));
    amount.clear();
    amount.sendKeys("31");
    driver.findElement(annRow).findElement(By.className("approve")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            annError, "Could not approve: INVALID_REQUEST"));
    assertThat(refund("PENDING", annRefund)).isNotNull();

    amount = driver.findElement(annRow).findElement(By.className("refund-amount"));
    amount.clear();
    amount.sendKeys("20");
    driver.findElement(annRow).findElement(By.className("refund-note")).sendKeys("partly");
    driver.findElement(annRow).findElement(By.className("approve")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(annRow, 0));
    JsonNode approved = refund("APPROVED", annRefund);
    assertThat(approved).isNotNull();
    assertThat(approved.get("amount").asLong()).isEqualTo(20);
    assertThat(approved.get("decisionNote").asText()).isEqualTo("partly");
    // 100 − 30 − 30 for two claims, then 20 back.
    Await.until(PAGE_UPDATE, "the refund credited", () -> balance("rq-ann") == 60);

    driver.findElement(bobRow).findElement(By.className("refund-note")).sendKeys("the job is real");
    driver.findElement(bobRow).findElement(By.className("reject")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(bobRow, 0));
    JsonNode rejected = refund("REJECTED", bobRefund);
    assertThat(rejected).isNotNull();
    assertThat(rejected.get("decisionNote").asText()).isEqualTo("the job is real");
    assertThat(balance("rq-bob")).isEqualTo(70);
    wait.until(ExpectedConditions.textToBe(By.id("refunds-note"), "nothing pending"));

    // One approved refund of two claims is over the allowed share: the next request is flagged.
    String flagged = askRefund("rq-ann", annSecond, "OTHER", null);
    WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(refundRow(flagged)));
    assertThat(row.getDomAttribute("class")).contains("flagged");
    assertThat(row.getText()).contains("FLAGGED");
    assertThat(text("refunds-note")).contains("1 flagged");
    assertThat(balance("rq-ann")).isEqualTo(60);
  }

  @Test
  void aVoidedLeadIsCountedFilteredAndMarkedAndItsClaimRefunded() {
    assertThat(retried(() -> service.credit("vic", 50, "topup-vic")).status()).isEqualTo(200);
    assertThat(service.createLead("job-void", 15, 2).status()).isEqualTo(201);
    String claimId = claim("vic", "job-void");
    Reply voided =
        service.send(
            "POST", "/api/leads/job-void/void", service.admin(), "{\"reason\":\"duplicate job\"}");
    assertThat(voided.status()).as(voided.raw().body()).isEqualTo(200);
    long voidedCount =
        service
            .send("GET", "/api/leads?limit=1", service.admin(), null)
            .body()
            .get("counts")
            .get("VOIDED")
            .asLong();
    assertThat(voidedCount).isPositive();

    signIn(service.admin());
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dashboard")));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("li.lead[data-lead-id='job-void'] .badge.voided")));
    wait.until(ExpectedConditions.textToBe(By.id("count-VOIDED"), String.valueOf(voidedCount)));

    // The filter lists the voided leads only (the list is re-rendered every second: read by
    // script).
    click(By.cssSelector(".filter[data-status='VOIDED']"));
    wait.until(
        d ->
            (Boolean)
                driver.executeScript(
                    "const items = [...document.querySelectorAll('#lead-list li.lead')];"
                        + "return items.some(li => li.dataset.leadId === 'job-void')"
                        + " && items.every(li => li.querySelector('.badge.voided') !== null);"));

    // The lead in full: voided, its claim with the price it paid, which the void gave back.
    click(By.cssSelector("li.lead[data-lead-id='job-void'] .lead-id"));
    By row = By.cssSelector("#lead-card tr[data-claim-id='" + claimId + "']");
    wait.until(ExpectedConditions.presenceOfElementLocated(row));
    assertThat(stable(() -> driver.findElement(row).getText())).contains("vic").contains("15");
    assertThat(
            stable(
                () -> driver.findElements(By.cssSelector("#lead-card .card-head .badge.voided"))))
        .hasSize(1);
    assertThat(stable(() -> text("lead-card"))).contains("Voided");
    Await.until(PAGE_UPDATE, "the void's refund credited", () -> balance("vic") == 50);
    click(By.cssSelector(".filter[data-status='']"));
  }

  /** What {@code read} gives, read again while the page re-renders what it reads. */
  private <T> T stable(Supplier<T> read) {
    return wait.until(
        d -> {
          try {
            return read.get();
          } catch (StaleElementReferenceException e) {
            return null;
          }
        });
  }

  private void click(By by) {
    stable(
        () -> {
          driver.findElement(by).click();
          return true;
        });
  }

  private static By refundRow(String refundId) {
    return By.cssSelector("li.refund[data-refund-id='" + refundId + "']");
  }

  /** The lead claimed by the tradie; the claim id. */
  private String claim(String tradieId, String leadId) {
    Reply claimed =
        service.send(
            "POST", "/api/leads/" + leadId + "/claim", service.token(tradieId, Role.TRADIE), null);
    assertThat(claimed.status()).as(claimed.raw().body()).isEqualTo(200);
    return claimed.body().get("claimId").asText();
  }

  private String askRefund(String tradieId, String claimId, String reason, String note) {
    Reply asked =
        service.send(
            "POST",
            "/api/claims/" + claimId + "/refund-requests",
            service.token(tradieId, Role.TRADIE),
            "{\"reason\":\""
                + reason
                + "\""
                + (note == null ? "" : ",\"note\":\"" + note + "\"")
                + "}");
    assertThat(asked.status()).as(asked.raw().body()).isEqualTo(201);
    return asked.body().get("refundId").asText();
  }

  /** The refund of that status with that id, as the API lists it; null when it is not. */
  private JsonNode refund(String status, String refundId) {
    Reply page =
        service.send("GET", "/api/refunds?status=" + status + "&limit=100", service.admin(), null);
    assertThat(page.status()).isEqualTo(200);
    for (JsonNode r : page.body().get("items")) {
      if (r.get("refundId").asText().equals(refundId)) {
        return r;
      }
    }
    return null;
  }

  private long balance(String accountId) {
    return service.account(accountId).body().get("balance").asLong();
  }

  @Test
  void theLivePanelReadsMicrometersPrometheusText() throws IOException {
    String script =
        """
        const [first, second, done] = arguments;
        Promise.all([import('/dashboard/prometheus.js'), import('/dashboard/live.js')])
          .then(([p, live]) => {
            const a = p.parse(first);
            const b = p.parse(second);
            const before = live.reading(a, 0);
            const after = live.reading(b, 2000);
            const panel = new live.LivePanel(document.getElementById('live'));
            panel.add(before);
            panel.add(after);
            panel.render();
            const odd = p.parse('x{path="a\\\\"b\\\\\\\\c",k="v"} +Inf 1700000000\\nnot a{sample\\n# comment');
            done(JSON.stringify({
              samples: a.length,
              topups: p.total(a, 'credit_transactions_total', {type: 'CREDIT', status: 'success'}),
              claims: p.total(a, 'lead_claims_total'),
              p50: p.quantile(0.5, p.buckets(a, 'credit_processing_duration_seconds')),
              p99: p.quantile(0.99, p.buckets(a, 'credit_processing_duration_seconds')),
              rates: live.rates(before, after),
              window: live.latencies(before, after),
              reasons: after.reasons,
              odd: odd.map((s) => ({name: s.name, labels: s.labels, infinite: s.value === Infinity})),
              shown: {
                claims: document.getElementById('kpi-claims').textContent,
                p50: document.getElementById('kpi-p50').textContent,
                lines: document.querySelectorAll('#chart-rates path.line').length,
              },
            }));
          })
          .catch((e) => done('failed: ' + e));
        """;
    Object answer =
        driver.executeAsyncScript(
            script, resource("micrometer-scrape-1.txt"), resource("micrometer-scrape-2.txt"));
    JsonNode r = JSON.readTree(String.valueOf(answer));

    assertThat(r.get("samples").asInt()).isGreaterThan(100);
    assertThat(r.get("topups").asDouble()).isEqualTo(3.0);
    assertThat(r.get("claims").asDouble()).isEqualTo(7.0);
    // 2 ms and 3 ms for CREDIT, 40 ms for DEBIT: the median in 3 ms's bucket, p99 in 40 ms's.
    assertThat(r.get("p50").asDouble()).isBetween(0.002796201, 0.003145726);
    assertThat(r.get("p99").asDouble()).isBetween(0.039146836, 0.044739241);
    // Between the scrapes, 2 s apart: 4 more top-ups, 2 won claims and 7 refused ones, and two
    // 100 ms requests, which alone make the window's latencies.
    JsonNode rates = r.get("rates");
    assertThat(rates.get("topups").asDouble()).isEqualTo(2.0);
    assertThat(rates.get("won").asDouble()).isEqualTo(1.0);
    assertThat(rates.get("claims").asDouble()).isEqualTo(4.5);
    assertThat(rates.get("refused").asDouble()).isEqualTo(3.5);
    assertThat(r.get("window").get("p50").asDouble()).isBetween(0.089478485, 0.111848106);
    assertThat(r.get("window").get("p99").asDouble()).isBetween(0.089478485, 0.111848106);
    assertThat(r.get("reasons").toString())
        .contains("{\"reason\":\"lead_full\",\"count\":11}")
        .contains("{\"reason\":\"insufficient_credits\",\"count\":1}")
        .contains("{\"reason\":\"debit rejected\",\"count\":1}");
    assertThat(r.get("odd")).hasSize(1);
    assertThat(r.get("odd").get(0).get("labels").get("path").asText()).isEqualTo("a\"b\\c");
    assertThat(r.get("odd").get(0).get("infinite").asBoolean()).isTrue();
    assertThat(r.get("shown").get("claims").asText()).isEqualTo("4.5");
    assertThat(r.get("shown").get("p50").asText()).endsWith("ms");
    assertThat(r.get("shown").get("lines").asInt()).isEqualTo(3);
  }

  /**
   * The call, repeated while it answers 503 (the outcome unknown, as on a cold start on a busy
   * machine): the API's contract is that a retry with the same transaction id applies once.
   */
  private static Reply retried(Supplier<Reply> call) {
    Reply[] last = {null};
    Await.until(
        PAGE_UPDATE,
        "an answer other than 503",
        () -> {
          last[0] = call.get();
          return last[0].status() != 503;
        });
    return last[0];
  }

  /** Tradies, leads in every status and a hold, so the page has something to show. */
  private void seed() {
    for (String[] topUp :
        new String[][] {{"ann", "100"}, {"bob", "20"}, {"cat", "250"}, {"dan", "80"}}) {
      Reply r =
          retried(() -> service.credit(topUp[0], Long.parseLong(topUp[1]), "topup-" + topUp[0]));
      assertThat(r.status()).isEqualTo(200);
    }
    Reply hold =
        retried(
            () ->
                service.send(
                    "POST",
                    "/api/accounts/ann/reservations",
                    service.admin(),
                    "{\"amount\":10,\"transactionId\":\"hold-ann-1\",\"ttlSeconds\":900}"));
    assertThat(hold.status()).isEqualTo(201);
    assertThat(service.createLead("job-40", 10, 4).status()).isEqualTo(201);
    service.send("POST", "/api/leads/job-40/close", service.admin(), null);
    assertThat(service.createLead("job-41", 20, 2).status()).isEqualTo(201);
    for (String tradie : List.of("cat", "dan")) {
      Reply r =
          service.send("POST", "/api/leads/job-41/claim", service.token(tradie, Role.TRADIE), null);
      assertThat(r.status()).isEqualTo(200);
    }
    assertThat(service.createLead("job-42", 30, 3).status()).isEqualTo(201);
    Reply poor =
        service.send("POST", "/api/leads/job-42/claim", service.token("bob", Role.TRADIE), null);
    assertThat(poor.code()).isEqualTo("INSUFFICIENT_CREDITS");
  }

  /**
   * The whole page, into target/screenshots; also into docs/dashboard.png for the README with
   * {@code -Dleadcredits.updateReadmeScreenshot=true}.
   */
  private void screenshot() throws IOException {
    long height =
        (Long)
            driver.executeScript(
                "document.documentElement.style.overflow = 'hidden';"
                    + " return document.documentElement.scrollHeight");
    // The viewport made as tall as the page, so one screenshot holds all of it.
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", WIDTH, "height", height, "deviceScaleFactor", 1, "mobile", false));
    Path shot = Path.of("target", "screenshots", "dashboard.png");
    Files.createDirectories(shot.getParent());
    Files.copy(
        driver.getScreenshotAs(OutputType.FILE).toPath(),
        shot,
        StandardCopyOption.REPLACE_EXISTING);
    driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    // Only on request, so an ordinary test run leaves the checkout clean.
    if (Boolean.getBoolean("leadcredits.updateReadmeScreenshot")) {
      Files.copy(
          shot, Checkout.resolve("docs", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = DashboardBrowserTest.class.getResourceAsStream("/dashboard/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

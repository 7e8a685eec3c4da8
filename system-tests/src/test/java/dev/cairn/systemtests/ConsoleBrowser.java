package dev.cairn.systemtests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One person's browser on the console: Debian's Chromium, headless, with a profile of its own,
 * driven through Debian's chromedriver (nothing is downloaded). Keeps every console message so
 * that a test can require that none was an uncaught error.
 */
final class ConsoleBrowser {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String MISSING = "Chromium and its driver are not installed (apt-get install chromium chromium-driver; .ci/run does it)";
    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final AtomicInteger SHOTS = new AtomicInteger();

    private final String name;
    private final String base;
    private final Path screenshots;
    private final Path profile;
    private final ChromeDriver driver;
    private final List<LogEntry> console = new ArrayList<>();

    private ConsoleBrowser(String name, String base, Path screenshots, Path profile, ChromeDriver driver) {
        this.name = name;
        this.base = base;
        this.screenshots = screenshots;
        this.profile = profile;
        this.driver = driver;
    }

    /** Selenium looks for a DevTools binding of Chromium's exact version, which these tests do not use: quiet. */
    private static final java.util.logging.Logger CDP_FINDER = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_FINDER.setLevel(Level.SEVERE);
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static ConsoleBrowser start(String base, Path screenshots, String name) throws IOException {
        Path profile = Files.createTempDirectory("cairn-chromium-" + name);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1280,1100", "--lang=en-GB");
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new ConsoleBrowser(name, base, screenshots, profile, driver);
    }

    String name() {
        return name;
    }

    WebDriver driver() {
        return driver;
    }

    void open(String hash) {
        String current = driver.getCurrentUrl();
        if (current == null || !current.startsWith(base)) {
            driver.get(base + "/" + hash);
            // what moved the page, for the log a failed wait prints
            ((JavascriptExecutor) driver).executeScript("window.addEventListener('hashchange', e => console.debug('hashchange', e.newURL));"
                    + "document.addEventListener('click', e => console.debug('click', e.isTrusted, e.target.outerHTML.slice(0, 120)), true);");
        } else {
            ((JavascriptExecutor) driver).executeScript("location.hash = arguments[0]", hash);
        }
        await("the page " + hash, () -> exists("main#view > *"));
    }

    void signIn(String email, String password) {
        await("the sign-in form", () -> exists("#sign-in"));
        type("#sign-in [name=email]", email);
        type("#sign-in [name=password]", password);
        click("#sign-in button[type=submit]");
        await("an answer to signing in", () -> !exists("#sign-in") || !textOf("#sign-in .form-error").isEmpty());
    }

    /** Creates a wallet through the mnemonic confirmation and returns its address. */
    String createWallet(String walletName, String shotName) {
        open("#/wallets");
        type("#create-wallet [name=name]", walletName);
        click("#create-wallet button[type=submit]");
        await("the recovery words", () -> exists("#mnemonic"));
        String[] words = textOf("#mnemonic").trim().split("\\s+");
        if (words.length != 24) {
            throw new AssertionError("expected 24 recovery words, got " + words.length);
        }
        if (find("#mnemonic-done").isEnabled()) {
            throw new AssertionError("the words can be dismissed before their keeping is confirmed");
        }
        if (shotName != null) {
            shot("wallet-mnemonic");
        }
        click("#mnemonic-confirm");
        click("#mnemonic-done");
        await("the wallet listed", () -> !exists("#mnemonic") && textOf("#wallet-list").contains(walletName));
        if (exists("#mnemonic")) {
            throw new AssertionError("the recovery words are still on the page");
        }
        if (shotName != null) {
            shot(shotName);
        }
        return find("#wallet-list tr[data-id] .wallet-address").getText().trim();
    }

    /**
     * From a blueprint's page: starts an instance of its latest version on the register named,
     * with each participant bound to a wallet (a screenshot of the filled form when named).
     */
    void startInstance(String register, java.util.Map<String, String> wallets, String shotName) {
        click("#start-instance");
        for (String participant : wallets.keySet()) {
            await("the start form", () -> exists("#bindings input[data-participant=" + participant + "]"));
        }
        new org.openqa.selenium.support.ui.Select(find("#start-instance [name=registerId]")).selectByVisibleText(register);
        wallets.forEach((participant, wallet) -> type("#bindings input[data-participant=" + participant + "]", wallet));
        if (shotName != null) {
            shot(shotName);
        }
        click("#start-instance button[type=submit]");
    }

    /** Opens an action of the instance on screen by its Open button, and waits for one of its form's fields. */
    void openAction(int actionId, String field) {
        click("#current-actions button.act[data-action='" + actionId + "']");
        await("the form of action " + actionId, () -> exists("#execute-action [name=" + field + "]"));
    }

    /** Checks an inclusion proof with the console's own code (js/merkle.js): "ok", or why not. */
    String checkProof(java.util.Map<String, Object> proof, String txId) {
        Object answer = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " import('/js/merkle.js').then(m => m.checkInclusion(arguments[0], arguments[1]))"
                + ".then(r => done(r.ok ? 'ok' : r.reason), e => done('error: ' + e));", proof, txId);
        return String.valueOf(answer);
    }

    /** Whether every live stream the page follows is subscribed. */
    boolean live() {
        return exists("#live") && "connected".equals(find("#live").getAttribute("data-state"));
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    boolean exists(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    String textOf(String css) {
        try {
            return find(css).getText();
        } catch (NoSuchElementException | StaleElementReferenceException e) {
            return "";
        }
    }

    void type(String css, String text) {
        await(css, () -> exists(css));
        WebElement element = find(css);
        element.clear();
        element.sendKeys(Keys.chord(Keys.CONTROL, "a"), text);
    }

    /** Sets an input's value as the page would see it typed (a date input's format depends on the locale). */
    void setValue(String css, String value) {
        await(css, () -> exists(css));
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));"
                + " arguments[0].dispatchEvent(new Event('change'));", find(css), value);
    }

    /** Sets a large text at once (typing thousands of characters is slow and fights auto-indent). */
    void paste(String css, String text) {
        await(css, () -> exists(css));
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
                find(css), text);
    }

    /** Clicks the element once it can be clicked; again if the page replaced it meanwhile (live updates redraw lists). */
    void click(String css) {
        await("to click " + css, () -> {
            try {
                WebElement element = find(css);
                if (!element.isDisplayed() || !element.isEnabled()) {
                    return false;
                }
                ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
                element.click();
                return true;
            } catch (NoSuchElementException | StaleElementReferenceException | org.openqa.selenium.ElementClickInterceptedException e) {
                return false;
            }
        });
    }

    void await(String what, BooleanSupplier condition) {
        try {
            new WebDriverWait(driver, PATIENCE, Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class)
                    .until(d -> condition.getAsBoolean());
        } catch (org.openqa.selenium.TimeoutException e) {
            shot("timeout-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            throw new AssertionError(java.time.Instant.now() + " " + name + "'s browser: gave up waiting for " + what + " on " + driver.getCurrentUrl()
                    + "\n--- page ---\n" + textOf("body") + "\n--- console ---\n" + consoleText(), e);
        }
    }

    /** Saves a screenshot as NN-&lt;browser&gt;-&lt;name&gt;.png. */
    void shot(String shotName) {
        try {
            Path file = screenshots.resolve(String.format("%02d-%s-%s.png", SHOTS.incrementAndGet(), name, shotName));
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            System.err.println("No screenshot " + shotName + ": " + e.getMessage());
        }
    }

    /**
     * Console messages at SEVERE that are not a failed request: an uncaught exception, an
     * unhandled rejection, a CSP violation, an error the console logged. (Chromium logs every
     * 4xx answer to fetch as "Failed to load resource", and a socket it could not open while no
     * gateway ran as "WebSocket connection to ... failed"; those are failures the page handles.)
     */
    List<String> uncaughtErrors() {
        collect();
        return console.stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !message.contains("Failed to load resource") && !message.contains("WebSocket connection to"))
                .toList();
    }

    private void collect() {
        driver.manage().logs().get(LogType.BROWSER).forEach(console::add);
    }

    private String consoleText() {
        collect();
        StringBuilder text = new StringBuilder();
        console.forEach(e -> text.append(java.time.Instant.ofEpochMilli(e.getTimestamp())).append(' ').append(e.getLevel()).append(' ')
                .append(e.getMessage()).append('\n'));
        return text.toString();
    }

    void quit() {
        try {
            collect();
        } catch (RuntimeException ignored) {
            // the browser is gone already
        }
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}

// Ticks every running countdown on the page once a second. The server renders each timer with the seconds left
// (data-left); a timer counts from the moment this script first sees it, so server and browser clocks never need to agree.
(() => {
  const show = (seconds) => {
    const whole = Math.max(0, Math.floor(seconds));
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  };
  const tick = () => {
    const now = Date.now() / 1000;
    document.querySelectorAll("[data-left]").forEach((timer) => {
      if (timer.dataset.state !== "running") return;
      if (!timer.dataset.seen) timer.dataset.seen = String(now);
      const left = Number(timer.dataset.left) - (now - Number(timer.dataset.seen));
      timer.textContent = show(left);
      timer.classList.toggle("over", left <= 0);
    });
  };
  setInterval(tick, 1000);
})();

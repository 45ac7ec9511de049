// Registers the service worker that lets the installed app show an offline page. It keeps
// no personal data (see /sw.js).
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
  });
}

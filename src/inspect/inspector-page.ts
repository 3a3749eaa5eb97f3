// The page the inspector relay serves: the Stately inspector UI in an iframe, fed with the
// events arriving on the relay's WebSocket. The UI posts '@statelyai.connected' once it is
// ready to receive; events that arrive earlier wait in a buffer.
export const INSPECTOR_UI = "https://stately.ai/inspect";

export function bridgePage(): string {
  return `<!doctype html>
<html>
<head>
  <meta charset="utf-8">
  <title>milestone-machine inspector</title>
  <style>html, body, iframe { margin: 0; width: 100%; height: 100%; border: 0; }</style>
</head>
<body>
  <iframe id="inspector" src="${INSPECTOR_UI}"></iframe>
  <script>
    const frame = document.getElementById("inspector");
    const waiting = [];
    let ready = false;
    window.addEventListener("message", (e) => {
      if (e.data && e.data.type === "@statelyai.connected") {
        ready = true;
        for (const event of waiting.splice(0)) frame.contentWindow.postMessage(event, "*");
      }
    });
    const socket = new WebSocket("ws://" + location.host + "/");
    socket.onmessage = (e) => {
      const event = JSON.parse(e.data);
      if (ready) frame.contentWindow.postMessage(event, "*");
      else waiting.push(event);
    };
  </script>
</body>
</html>
`;
}

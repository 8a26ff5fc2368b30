#!/usr/bin/env bash
# 四办通 one-line start: hub (embedded store, demo county on first run) + renderer + client window.
# Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

# Idempotent: installs only what is missing (Debian packages, npm packages).
bash scripts/install-deps.sh

export HUB_PORT="${HUB_PORT:-8787}"
export HUB_DATA_DIR="${HUB_DATA_DIR:-$PWD/.hub-data}"
WEB_PORT="${WEB_PORT:-5180}"
HUB=(node --import tsx sync-server/src/cli/main.ts)

pids=()
cleanup() {
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "[start] 已停止"
}
trap cleanup EXIT INT TERM

if [ ! -d "$HUB_DATA_DIR" ] || [ -z "$(ls -A "$HUB_DATA_DIR" 2>/dev/null)" ]; then
  echo "[start] 首次运行：写入演示县和最近四个月的演示办件（账号密码见 README）"
  "${HUB[@]}" seed-demo --history
fi

"${HUB[@]}" serve &
pids+=($!)

echo "[start] 构建客户端界面…"
(cd desktop && VITE_CONFIG_NATIVE_IGNORE_WARNING=true npx vite build --logLevel warn)
node --import tsx e2e/support/serveCli.ts "$PWD/desktop/out/renderer" "$WEB_PORT" &
pids+=($!)

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$HUB_PORT/api/health" >/dev/null 2>&1 && break
  sleep 1
done
URL="http://127.0.0.1:$WEB_PORT"
echo "[start] 中心服务器 http://127.0.0.1:$HUB_PORT"
echo "[start] 设备注册码（东桥村示例，72 小时有效）："
"${HUB[@]}" device enroll --unit village-dq-01 || true

if [ -f node_modules/electron/path.txt ]; then
  echo "[start] 启动桌面客户端（Electron）"
  (cd desktop && npx electron-vite build --logLevel warn)
  npx electron desktop &
  pids+=($!)
elif [ -n "${DISPLAY:-}" ] && command -v chromium >/dev/null 2>&1; then
  echo "[start] 未找到 Electron，可用 Chromium 应用窗口打开 $URL"
  chromium --app="$URL" --user-data-dir="${TMPDIR:-/tmp}/sibantong-chromium" --no-first-run >/dev/null 2>&1 &
  pids+=($!)
else
  echo "[start] 请在浏览器中打开 $URL"
fi
echo "[start] 按 Ctrl-C 停止"
wait

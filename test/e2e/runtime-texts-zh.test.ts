// Runtime texts in Simplified Chinese (lang zh-CN): see runtime-texts.ts.
import { runtimeTextScenario } from './runtime-texts';

runtimeTextScenario({
  lang: 'zh-CN',
  refusedLine: 'dock-001 执行 cover_open 失败：机场未处于（或已退出）远程调试模式，无法执行该操作；请先发送 debug_mode_open 再重试。',
  refusedBadge: '失败：未处于调试模式',
  waitingBadge: '等待 dock-404（尚未送达）',
  wrongDeviceLine: 'dock-404 在 2 秒内未收到 debug_mode_open：设备序列号可能有误或设备离线；请检查设备 ID 以及设备是否在线',
  wrongDeviceBadge: '超时：dock-404 无响应',
  unwiredWarning: 'dock-404 在 2 秒内未收到 debug_mode_open：设备序列号可能有误或设备离线；请检查设备 ID 以及设备是否在线（输出 2 未连线，因此在此显示）',
  badPayloadLine: /^flighttask_prepare 的载荷有误：缺少 payload\.execute_time（不小于 0 的整数，开始时间，Unix 时间（毫秒））（另有 8 个问题）$/,
  badPayloadBadge: '缺少 payload.execute_time（另有 8 项）',
});

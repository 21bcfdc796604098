// The public live page behind a share link: one small mobile-first HTML document with
// inline CSS and JS (no framework, a few KB). It joins the read-only share socket, keeps
// the last sequence it applied, reconnects by itself with since_seq (so it receives exactly
// what it missed), and shows an offline banner while it cannot reach the server.

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function notFoundPage(): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Link not available</title><body style="font-family:system-ui;padding:2rem"><h1>This link is not available</h1><p>It may have expired or been revoked. Ask for a new one.</p></body></html>`;
}

export function livePage(matchId: number, token: string, title: string): string {
  const cfg = JSON.stringify({ id: matchId, token }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${esc(title)}</title>
<style>
body{margin:0;font-family:system-ui,-apple-system,sans-serif;background:#0f172a;color:#e2e8f0}
#offline{display:none;background:#b91c1c;color:#fff;padding:.5rem;text-align:center;font-size:.9rem}
body.offline #offline{display:block}
header{padding:1rem;text-align:center;background:#1e293b}
.teams{display:flex;justify-content:space-between;align-items:center;gap:.5rem}
.team{flex:1;font-weight:600;font-size:1.05rem;overflow-wrap:anywhere}
#score{font-size:2.4rem;font-weight:800;min-width:6rem}
#clock{margin-top:.3rem;font-variant-numeric:tabular-nums;color:#94a3b8}
ol{list-style:none;margin:0;padding:.5rem 1rem}
li{display:flex;gap:.75rem;padding:.45rem 0;border-bottom:1px solid #1e293b}
li .m{color:#94a3b8;min-width:2.5rem;text-align:right}
li.away{flex-direction:row-reverse;text-align:right}
</style></head>
<body><div id="offline" role="status">Offline — reconnecting…</div>
<header><div class="teams"><span class="team" id="home"></span><span id="score" data-testid="score">–</span><span class="team" id="away"></span></div>
<div id="clock" data-testid="clock"></div></header>
<ol id="timeline" data-testid="timeline"></ol>
<script>
(function(){
var C=${cfg},seq=-1,ev=new Map(),score={home:0,away:0},clk=null,clkAt=0,ws=null,retry=0,pongAt=0;
var $=function(i){return document.getElementById(i)};
var LABEL={goal:'⚽ Goal',own_goal:'⚽ Own goal',yellow_card:'🟨 Yellow card',red_card:'🟥 Red card',substitution:'🔁 Substitution',period_start:'▶ Period start',period_end:'⏸ Period end'};
var PHASE={scheduled:'Not started',first_half:'1st half',half_time:'Half time',second_half:'2nd half',extra_time:'Extra time',penalties:'Penalties',full_time:'Full time'};
function txt(s){return String(s==null?'':s)}
function render(){
  $('score').textContent=score.home+' – '+score.away+(score.penalties?' ('+score.penalties.home+'–'+score.penalties.away+' p)':'');
  var list=[...ev.values()].filter(function(e){return !e.deleted}).sort(function(a,b){return (a.minute||0)-(b.minute||0)||a.seq-b.seq});
  var ol=$('timeline');ol.textContent='';
  list.forEach(function(e){var li=document.createElement('li');li.className=e.side||'';
    var m=document.createElement('span');m.className='m';m.textContent=e.minute!=null?e.minute+"'":'';
    var d=document.createElement('span');d.textContent=(LABEL[e.kind]||e.kind.replace(/_/g,' '))+(e.player?' — '+e.player:'')+(e.player_in?' ↔ '+e.player_in:'');
    li.append(m,d);ol.append(li);});
  tick();
}
function tick(){if(!clk)return;var ms=clk.elapsed_ms+(clk.running?Date.now()-clkAt:0),mm=Math.floor(ms/60000),ss=Math.floor(ms/1000)%60;
  $('clock').textContent=(PHASE[clk.phase]||clk.phase)+(clk.running||clk.paused?' · '+mm+':'+(ss<10?'0':'')+ss:'')+(clk.paused?' (paused)':'');}
function apply(m){
  if(m.type==='pong'){pongAt=Date.now();return}
  if(m.type==='snapshot'){ev=new Map();m.events.forEach(function(e){ev.set(e.id,e)});score=m.score;clk=m.clock;clkAt=Date.now();
    $('home').textContent=txt(m.match.home.name);$('away').textContent=txt(m.match.away.name);seq=m.seq;render();return}
  if(typeof m.seq!=='number'||m.seq<=seq)return;
  if(seq>=0&&m.seq!==seq+1){ws.close();return}
  seq=m.seq;
  if(m.event){if(m.type==='event_deleted')ev.delete(m.event.id);else ev.set(m.event.id,m.event)}
  if(m.score)score=m.score;
  if(m.clock){clk=m.clock;clkAt=Date.now()}
  render();
}
function connect(){
  var u=(location.protocol==='https:'?'wss://':'ws://')+location.host+'/ws/match/'+C.id+'/share?token='+encodeURIComponent(C.token)+(seq>=0?'&since_seq='+seq:'');
  ws=new WebSocket(u);pongAt=Date.now();
  ws.onopen=function(){retry=0;document.body.classList.remove('offline')};
  ws.onmessage=function(e){pongAt=Date.now();try{apply(JSON.parse(e.data))}catch(x){console.error(x)}};
  ws.onclose=function(e){document.body.classList.add('offline');ws=null;
    if(e.code===4401){$('offline').textContent='This link was revoked';return}
    setTimeout(connect,Math.min(1000*Math.pow(2,retry++),10000))};
}
// A silent dead connection (phone changed network) shows up as no pong to our pings.
setInterval(function(){if(!ws||ws.readyState!==1)return;if(Date.now()-pongAt>25000){ws.close();return}ws.send('{"type":"ping"}')},10000);
addEventListener('offline',function(){document.body.classList.add('offline');if(ws)ws.close()});
setInterval(tick,1000);connect();
})();
</script></body></html>`;
}

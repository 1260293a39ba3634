/* global document, sessionStorage, fetch */
/*
 * The department dashboard. Hand-written, no library: asks for a token (kept in sessionStorage),
 * posts the operations of /dashboard/operations.graphql (schema/operations/dashboard.graphql) to
 * /graphql, and draws each answer as SVG. Every number drawn carries data-* attributes.
 */
(function () {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var TOKEN_KEY = 'hub.dashboard.token';
  var URGENCIES = [
    ['CRITICAL', '紧急 Critical'],
    ['HIGH', '较急 High'],
    ['NORMAL', '一般 Normal'],
    ['LOW', '不急 Low'],
  ];
  var BANDS = [
    ['DAYS_0_7', '0–7 days', '#9ecae1'],
    ['DAYS_8_30', '8–30 days', '#4292c6'],
    ['DAYS_31_90', '31–90 days', '#fd8d3c'],
    ['DAYS_OVER_90', '> 90 days', '#d94801'],
  ];
  var STATES = [
    ['PROPOSED', '待答复 Proposed'],
    ['ACCEPTED', '已接受 Accepted'],
    ['IN_SERVICE', '服务中 In service'],
    ['COMPLETED', '已完成 Completed'],
    ['DECLINED', '已拒绝 Declined'],
    ['EXPIRED', '已过期 Expired'],
    ['CANCELLED', '已取消 Cancelled'],
    ['TRANSFERRED', '已移交 Transferred'],
  ];

  var operationsText = null;
  var token = '';

  function $(id) {
    return document.getElementById(id);
  }

  // ----- talking to the hub -----------------------------------------------------------------

  function loadOperations() {
    if (operationsText !== null) return Promise.resolve(operationsText);
    return fetch('/dashboard/operations.graphql').then(function (response) {
      if (!response.ok) throw new Error('Could not load the dashboard operations (HTTP ' + response.status + ')');
      return response.text().then(function (text) {
        operationsText = text;
        return text;
      });
    });
  }

  /** Runs one named operation of dashboard.graphql; rejects with the hub's error code and message. */
  function run(operationName, variables) {
    return loadOperations()
      .then(function (query) {
        return fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
          body: JSON.stringify({ query: query, operationName: operationName, variables: variables }),
        });
      })
      .then(function (response) {
        return response.json().then(
          function (body) {
            if (body.errors && body.errors.length > 0) {
              var first = body.errors[0];
              var code = first.extensions && first.extensions.code ? first.extensions.code : 'ERROR';
              throw new Error(code + ': ' + first.message);
            }
            if (!body.data) throw new Error('HTTP ' + response.status + ': no data');
            return body.data;
          },
          function () {
            throw new Error('HTTP ' + response.status + ': the hub did not answer with JSON');
          },
        );
      });
  }

  // ----- drawing helpers ----------------------------------------------------------------------

  function svg(name, attributes, text) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attributes || {}).forEach(function (key) {
      node.setAttribute(key, String(attributes[key]));
    });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function html(name, attributes, text) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) {
      node.setAttribute(key, String(attributes[key]));
    });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function canvas(width, height, label) {
    return svg('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': label });
  }

  function show(containerId, node) {
    var container = $(containerId);
    container.replaceChildren(node);
    container.setAttribute('data-state', 'ready');
  }

  function showError(containerId, error) {
    var container = $(containerId);
    container.replaceChildren(html('p', { class: 'error' }, error.message));
    container.setAttribute('data-state', 'error');
  }

  function percent(rate) {
    return rate === null || rate === undefined ? '—' : (rate * 100).toFixed(1) + '%';
  }

  /** A linear mix of two RGB colours, t from 0 to 1. */
  function mix(from, to, t) {
    var parts = from.map(function (value, i) {
      return Math.round(value + (to[i] - value) * t);
    });
    return 'rgb(' + parts.join(',') + ')';
  }

  var WHITE = [247, 247, 247];
  var RED = [192, 40, 32];
  var GREEN = [35, 139, 69];
  var NEUTRAL = 'rgb(' + WHITE.join(',') + ')';

  // ----- heat map: supply and need ----------------------------------------------------------

  function drawBalance(cells, districts) {
    var categories = [];
    var seen = {};
    cells.forEach(function (cell) {
      if (!seen[cell.category.id]) {
        seen[cell.category.id] = true;
        categories.push(cell.category);
      }
    });
    var byKey = {};
    cells.forEach(function (cell) {
      byKey[cell.district.id + '|' + cell.category.id] = cell;
    });
    var extreme = 1;
    cells.forEach(function (cell) {
      extreme = Math.max(extreme, Math.abs(cell.freeUnits - cell.openUnits));
    });
    var left = 130;
    var top = 46;
    var cellWidth = 78;
    var cellHeight = 34;
    var width = left + categories.length * cellWidth + 10;
    var height = top + districts.length * cellHeight + 40;
    var chart = canvas(width, height, 'Supply less need per district and category');
    chart.setAttribute('id', 'balance-map');
    categories.forEach(function (category, column) {
      var x = left + column * cellWidth + cellWidth / 2;
      var heading = svg('text', { x: x, y: 30, class: 'axis', 'text-anchor': 'middle', 'data-category-id': category.id }, category.nameZh);
      heading.appendChild(svg('title', {}, category.nameEn));
      chart.appendChild(heading);
    });
    districts.forEach(function (district, row) {
      var y = top + row * cellHeight;
      chart.appendChild(svg('text', { x: left - 8, y: y + cellHeight / 2 + 4, class: 'axis', 'text-anchor': 'end' }, district.name));
      categories.forEach(function (category, column) {
        var cell = byKey[district.id + '|' + category.id] || { openUnits: 0, freeUnits: 0 };
        var balance = cell.freeUnits - cell.openUnits;
        var t = Math.abs(balance) / extreme;
        var fill = balance < 0 ? mix(WHITE, RED, 0.25 + 0.75 * t) : balance > 0 ? mix(WHITE, GREEN, 0.15 + 0.6 * t) : NEUTRAL;
        var group = svg('g', {
          class: 'cell',
          'data-district-id': district.id,
          'data-category-id': category.id,
          'data-category-code': category.code,
          'data-open-units': cell.openUnits,
          'data-free-units': cell.freeUnits,
          'data-balance': balance,
          'data-shortage': balance < 0 ? 'true' : 'false',
        });
        var x = left + column * cellWidth;
        group.appendChild(svg('rect', { x: x + 1, y: y + 1, width: cellWidth - 2, height: cellHeight - 2, rx: 3, fill: fill }));
        group.appendChild(svg('text', { x: x + cellWidth / 2, y: y + cellHeight / 2 + 4, 'text-anchor': 'middle', class: balance < 0 && t > 0.5 ? 'value light' : 'value' }, (balance > 0 ? '+' : '') + balance));
        group.appendChild(svg('title', {}, district.name + ' · ' + category.nameZh + ': ' + cell.openUnits + ' open units, ' + cell.freeUnits + ' free units'));
        chart.appendChild(group);
      });
    });
    var legendY = top + districts.length * cellHeight + 16;
    [
      ['supply short 供不应求', mix(WHITE, RED, 0.8)],
      ['balanced 持平', NEUTRAL],
      ['supply to spare 有余', mix(WHITE, GREEN, 0.6)],
    ].forEach(function (entry, i) {
      chart.appendChild(svg('rect', { x: left + i * 170, y: legendY, width: 14, height: 14, fill: entry[1], stroke: '#999' }));
      chart.appendChild(svg('text', { x: left + i * 170 + 20, y: legendY + 12, class: 'axis small' }, entry[0]));
    });
    return chart;
  }

  // ----- bars ---------------------------------------------------------------------------------

  /** Grouped vertical bars: one group per urgency, one bar per waiting band. */
  function drawOpenNeeds(rows) {
    var counts = {};
    rows.forEach(function (row) {
      var key = row.urgency + '|' + row.waitingBand;
      counts[key] = (counts[key] || 0) + row.needs;
    });
    var max = 1;
    Object.keys(counts).forEach(function (key) {
      max = Math.max(max, counts[key]);
    });
    var left = 40;
    var top = 20;
    var plot = 180;
    var bar = 26;
    var groupWidth = BANDS.length * bar + 30;
    var width = left + URGENCIES.length * groupWidth + 10;
    var height = top + plot + 70;
    var chart = canvas(width, height, 'Open needs by urgency and waiting band');
    chart.setAttribute('id', 'open-needs-bars');
    chart.appendChild(svg('line', { x1: left, y1: top + plot, x2: width - 10, y2: top + plot, class: 'baseline' }));
    URGENCIES.forEach(function (urgency, g) {
      var groupX = left + g * groupWidth + 15;
      var total = 0;
      BANDS.forEach(function (band, b) {
        var count = counts[urgency[0] + '|' + band[0]] || 0;
        total += count;
        var h = (count / max) * plot;
        var x = groupX + b * bar;
        var group = svg('g', { class: 'bar', 'data-urgency': urgency[0], 'data-band': band[0], 'data-count': count });
        group.appendChild(svg('rect', { x: x + 2, y: top + plot - h, width: bar - 4, height: h, fill: band[2] }));
        group.appendChild(svg('text', { x: x + bar / 2, y: top + plot - h - 4, 'text-anchor': 'middle', class: 'value small' }, count));
        group.appendChild(svg('title', {}, urgency[1] + ', waiting ' + band[1] + ': ' + count));
        chart.appendChild(group);
      });
      chart.appendChild(svg('text', { x: groupX + (BANDS.length * bar) / 2, y: top + plot + 16, 'text-anchor': 'middle', class: 'axis', 'data-urgency-total': urgency[0], 'data-count': total }, urgency[1] + ' (' + total + ')'));
    });
    BANDS.forEach(function (band, b) {
      var x = left + b * 110;
      chart.appendChild(svg('rect', { x: x, y: top + plot + 34, width: 14, height: 14, fill: band[2] }));
      chart.appendChild(svg('text', { x: x + 20, y: top + plot + 46, class: 'axis small' }, band[1]));
    });
    return chart;
  }

  /** Horizontal bars, one per row: [{ key, label, count, attributes }]. */
  function drawHorizontalBars(id, label, rows, colour) {
    var max = 1;
    rows.forEach(function (row) {
      max = Math.max(max, row.count);
    });
    var left = 150;
    var barHeight = 24;
    var plot = 360;
    var width = left + plot + 60;
    var height = rows.length * barHeight + 10;
    var chart = canvas(width, height, label);
    chart.setAttribute('id', id);
    rows.forEach(function (row, i) {
      var y = 5 + i * barHeight;
      var w = (row.count / max) * plot;
      var group = svg('g', Object.assign({ class: 'bar', 'data-count': row.count }, row.attributes));
      group.appendChild(svg('text', { x: left - 8, y: y + barHeight / 2 + 4, 'text-anchor': 'end', class: 'axis' }, row.label));
      group.appendChild(svg('rect', { x: left, y: y + 3, width: w, height: barHeight - 6, fill: colour }));
      group.appendChild(svg('text', { x: left + w + 6, y: y + barHeight / 2 + 4, class: 'value' }, row.count));
      chart.appendChild(group);
    });
    return chart;
  }

  function drawOverdue(groups, districts) {
    var byDistrict = {};
    groups.forEach(function (group) {
      if (group.district) byDistrict[group.district.id] = group;
    });
    var rows = districts.map(function (district) {
      var group = byDistrict[district.id];
      return { label: district.name, count: group ? group.overdue : 0, attributes: { 'data-district-id': district.id, 'data-open-steps': group ? group.openSteps : 0 } };
    });
    return drawHorizontalBars('overdue-bars', 'Overdue intake steps per district', rows, '#c0392b');
  }

  function drawReferrals(rows) {
    var counts = {};
    rows.forEach(function (row) {
      counts[row.status] = (counts[row.status] || 0) + row.referrals;
    });
    var bars = STATES.map(function (state) {
      return { label: state[1], count: counts[state[0]] || 0, attributes: { 'data-status': state[0] } };
    });
    return drawHorizontalBars('referral-bars', 'Referrals by state', bars, '#4f6d8f');
  }

  // ----- scorecard table ----------------------------------------------------------------------

  function ratioCell(measure, ratio) {
    var cell = html('td', { 'data-measure': measure, 'data-numerator': ratio.numerator, 'data-denominator': ratio.denominator, 'data-rate': ratio.rate === null ? '' : ratio.rate });
    cell.appendChild(html('span', { class: 'rate' }, percent(ratio.rate)));
    cell.appendChild(html('span', { class: 'fraction' }, ratio.numerator + ' / ' + ratio.denominator));
    return cell;
  }

  function drawScorecards(cards) {
    var table = html('table', { id: 'scorecards-table' });
    var head = html('tr');
    ['区 District', '按时办结 On-time handling', '对接率 Match rate', '等待中位数 Median wait', '满意度 Satisfaction', '助理员覆盖 Staffing', '培训覆盖 Training'].forEach(function (title) {
      head.appendChild(html('th', { scope: 'col' }, title));
    });
    table.appendChild(html('thead')).appendChild(head);
    var body = table.appendChild(html('tbody'));
    cards.forEach(function (card) {
      var row = html('tr', { 'data-district-id': card.district.id, 'data-year': card.year });
      row.appendChild(html('th', { scope: 'row' }, card.district.name));
      row.appendChild(ratioCell('onTimeHandling', card.onTimeHandling));
      row.appendChild(ratioCell('matching', card.matching));
      var wait = html('td', { 'data-measure': 'wait', 'data-median-days': card.wait.medianDays === null ? '' : card.wait.medianDays, 'data-answered-needs': card.wait.answeredNeeds, 'data-still-waiting': card.wait.stillWaiting });
      wait.appendChild(html('span', { class: 'rate' }, card.wait.medianDays === null ? '—' : card.wait.medianDays.toFixed(1) + ' d'));
      wait.appendChild(html('span', { class: 'fraction' }, card.wait.answeredNeeds + ' answered, ' + card.wait.stillWaiting + ' waiting'));
      row.appendChild(wait);
      var satisfaction = html('td', { 'data-measure': 'satisfaction', 'data-mean': card.satisfaction.mean === null ? '' : card.satisfaction.mean, 'data-ratings': card.satisfaction.ratings, 'data-min-ratings': card.satisfaction.minRatings });
      satisfaction.appendChild(html('span', { class: 'rate' }, card.satisfaction.mean === null ? '—' : card.satisfaction.mean.toFixed(2) + ' / 5'));
      var shown = card.satisfaction.ratings + ' ratings' + (card.satisfaction.mean === null && card.satisfaction.ratings > 0 ? ' (fewer than ' + card.satisfaction.minRatings + ': hidden)' : '');
      satisfaction.appendChild(html('span', { class: 'fraction' }, shown));
      row.appendChild(satisfaction);
      row.appendChild(ratioCell('staffing', card.staffing));
      row.appendChild(ratioCell('training', card.training));
      body.appendChild(row);
    });
    return table;
  }

  // ----- loading ------------------------------------------------------------------------------

  function setStatus(text, state) {
    $('status').textContent = text;
    document.body.setAttribute('data-state', state);
  }

  function chart(containerId, promise, draw) {
    return promise.then(
      function (data) {
        show(containerId, draw(data));
        return true;
      },
      function (error) {
        showError(containerId, error);
        return false;
      },
    );
  }

  function load() {
    var year = Number($('year').value);
    Array.prototype.forEach.call(document.querySelectorAll('.year-label'), function (node) {
      node.textContent = String(year);
    });
    setStatus('Loading…', 'loading');
    return run('DashboardScorecards', { year: year }).then(
      function (data) {
        var cards = data.districtScorecards;
        var districts = cards.map(function (card) {
          return card.district;
        });
        var ids = districts.map(function (district) {
          return district.id;
        });
        show('scorecard-table', drawScorecards(cards));
        return Promise.all([
          chart('balance-chart', run('DashboardBalance', { districts: ids }), function (d) {
            return drawBalance(d.supplyDemandBalance, districts);
          }),
          chart('open-needs-chart', run('DashboardOpenNeeds', { districts: ids }), function (d) {
            return drawOpenNeeds(d.openNeedCounts);
          }),
          chart('overdue-chart', run('DashboardOverdueSteps', { districts: ids }), function (d) {
            return drawOverdue(d.applicationDeadlineSummary, districts);
          }),
          chart('referrals-chart', run('DashboardReferrals', { year: year, districts: ids }), function (d) {
            return drawReferrals(d.referralCountsByState);
          }),
        ]).then(function (results) {
          var failed = results.filter(function (ok) {
            return !ok;
          }).length;
          var when = new Date().toLocaleTimeString();
          setStatus(failed === 0 ? 'Loaded ' + districts.length + ' districts at ' + when + '.' : failed + ' chart(s) could not be loaded; see their messages.', 'ready');
        });
      },
      function (error) {
        showError('scorecard-table', error);
        setStatus(error.message, 'error');
      },
    );
  }

  function clearCharts() {
    ['balance-chart', 'open-needs-chart', 'overdue-chart', 'referrals-chart', 'scorecard-table'].forEach(function (id) {
      $(id).replaceChildren();
      $(id).removeAttribute('data-state');
    });
  }

  function start() {
    var yearInput = $('year');
    yearInput.value = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
    var saved = sessionStorage.getItem(TOKEN_KEY);
    if (saved) $('token').value = saved;
    $('settings').addEventListener('submit', function (event) {
      event.preventDefault();
      token = $('token').value.trim().replace(/^Bearer\s+/i, '');
      if (token) sessionStorage.setItem(TOKEN_KEY, token);
      load();
    });
    $('forget').addEventListener('click', function () {
      sessionStorage.removeItem(TOKEN_KEY);
      $('token').value = '';
      token = '';
      clearCharts();
      setStatus('Token forgotten.', 'idle');
    });
    if (saved) {
      token = saved;
      load();
    } else {
      document.body.setAttribute('data-state', 'idle');
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { renderScreen } from './support/renderInApp';
import { seedCalendar, type TicketDoc } from '@sibantong/shared';
import { AppContext, type AppCtx } from '../../src/renderer/appContext';
import { TicketStepForm } from '../../src/renderer/features/supervisor/TicketStepForm';
import { ticketDeadline } from '../../src/renderer/features/supervisor/ticketDeadline';

const ticket: TicketDoc = {
  id: 'ticket:dev-1:5',
  caseId: 'case-1',
  ratingEventId: 'dev-1:5',
  level: 5,
  status: 'open',
  dueDate: '2026-11-27',
  createdAt: '2026-11-20T02:00:00.000Z',
  updatedAt: '2026-11-20T02:00:00.000Z',
  steps: [],
};

function renderForm(
  t: TicketDoc,
  online: boolean,
  role: 'supervisor' | 'centre_agent' = 'supervisor',
) {
  const ctx = {
    cfg: { hubUrl: 'http://127.0.0.1:1', deviceId: 'dev-sup' },
    user: { userId: 'sup', name: '县督办', role, orgUnitId: 'county' },
    syncNow: () => undefined,
  } as unknown as AppCtx;
  return renderScreen(
    <AppContext.Provider value={ctx}>
      <TicketStepForm ticket={t} online={online} onRecorded={() => undefined} />
    </AppContext.Provider>,
  );
}

describe('差评 follow-up panel', () => {
  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
  });

  it('counts working days left and marks overdue tickets', () => {
    // Fri 2026-11-20 (China) → due Fri 11-27: Mon–Fri = 5 working days.
    expect(ticketDeadline(ticket, seedCalendar, new Date('2026-11-20T03:00:00Z'))).toMatchObject({
      daysLeft: 5,
      overdue: false,
      provisional: false,
      label: '剩余 5 个工作日',
    });
    expect(ticketDeadline(ticket, seedCalendar, new Date('2026-11-30T03:00:00Z'))).toMatchObject({
      daysLeft: -1,
      overdue: true,
      label: '已超期 1 个工作日',
    });
    expect(ticketDeadline({ ...ticket, status: 'closed' }, seedCalendar).overdue).toBe(false);
  });

  it('marks a count over a year the synced calendar lacks as 暂估 (2027 not imported)', () => {
    // Wed 2026-12-30 → Fri 2027-01-08: weekends only in 2027 (元旦 not known yet) = 7.
    const due = { ...ticket, dueDate: '2027-01-08' };
    expect(ticketDeadline(due, seedCalendar, new Date('2026-12-30T03:00:00Z'))).toMatchObject({
      daysLeft: 7,
      provisional: true,
      label: '剩余 7 个工作日（暂估）',
    });
  });

  it('refuses an empty note in Chinese without calling the hub', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    renderForm(ticket, true);
    fireEvent.click(screen.getByTestId('ticket-submit'));
    expect(await screen.findByText('请填写核实情况说明')).toBeTruthy();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('asks for the call-back result before closing', async () => {
    renderForm({ ...ticket, status: 'feedback' }, true);
    fireEvent.change(screen.getByLabelText('情况说明'), { target: { value: '已回访' } });
    fireEvent.click(screen.getByTestId('ticket-submit'));
    expect(await screen.findByText('办结前请选择回访结果')).toBeTruthy();
  });

  it('explains that steps need the hub when offline', () => {
    renderForm(ticket, false);
    expect(screen.getByTestId('ticket-offline').textContent).toMatch(/离线/);
    expect((screen.getByTestId('ticket-submit') as HTMLButtonElement).disabled).toBe(true);
  });

  it('offers the centre agent no call-back form', () => {
    renderForm({ ...ticket, status: 'feedback' }, true, 'centre_agent');
    expect(screen.queryByTestId('ticket-step-form')).toBeNull();
  });
});

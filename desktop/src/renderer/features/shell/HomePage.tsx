import { useApp } from '../../appContext';
import { VillageWorkbench } from '../village/VillageWorkbench';
import { TownInbox } from '../town/TownInbox';
import { CentreInbox } from '../centre/CentreInbox';
import { DepartmentInbox } from '../department/DepartmentInbox';
import { SupervisorView } from '../supervisor/SupervisorView';

export function HomePage() {
  const { user } = useApp();
  switch (user.role) {
    case 'village_helper':
      return <VillageWorkbench />;
    case 'town_lead':
      return <TownInbox />;
    case 'centre_agent':
      return <CentreInbox />;
    case 'dept_assistant':
      return <DepartmentInbox />;
    default:
      return <SupervisorView />;
  }
}
